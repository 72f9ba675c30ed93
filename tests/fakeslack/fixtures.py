"""pytest fixtures; import them into a conftest.py:

    from tests.fakeslack.fixtures import fake_slack, fake_socket, slack_app, slack_mode  # noqa: F401
"""

from __future__ import annotations

import pytest

from tests.fakeslack.api import FakeSlackAPI
from tests.fakeslack.harness import RunningApp
from tests.fakeslack.socket_mode import FakeSocketMode


@pytest.fixture
def fake_slack():
    """A started FakeSlackAPI (its ``url`` is SLACK_API_URL). A test fails if the app sent anything that
    real Slack would refuse for Block Kit limits (see limits.py)."""
    with FakeSlackAPI() as api:
        yield api
        assert not api.refusals, f"Slack would refuse these calls (Block Kit limits): {api.refusals}"


@pytest.fixture
def fake_socket(fake_slack):
    """A started FakeSocketMode registered with ``fake_slack`` (apps.connections.open returns its URL)."""
    with FakeSocketMode(fake_slack) as server:
        yield server


@pytest.fixture(params=["http", "socket"])
def slack_mode(request) -> str:
    """Parametrizes a test over both delivery modes."""
    return request.param


@pytest.fixture
def slack_app(slack_mode, fake_slack, fake_socket):
    """The app running in-process in ``slack_mode`` against the fakes (a RunningApp)."""
    running = RunningApp(slack_mode, fake_slack, fake_socket)
    yield running
    running.stop()
