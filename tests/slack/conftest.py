"""Slack tests run the real app against the local fake Slack (tests/fakeslack; see its docstring)."""

from tests.fakeslack.fixtures import fake_slack, fake_socket, slack_app, slack_mode  # noqa: F401
