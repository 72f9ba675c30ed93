"""Slack tests run the real app against the local fake Slack (tests/fakeslack; see its docstring)."""

import pytest

from bot.slack import flows
from tests.fakeslack.fixtures import fake_slack, fake_socket, slack_app, slack_mode  # noqa: F401
from tests.slack.checkflow import phone_verdict


@pytest.fixture
def seen(monkeypatch):
    """Check's core replaced by one that finds the phone number (checkflow.PHONE); records (text, account)
    it got."""
    calls = []

    def fake_check(text, account="official"):
        calls.append((text, account))
        return phone_verdict(text)

    monkeypatch.setattr(flows, "check", fake_check)
    return calls
