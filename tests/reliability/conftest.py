"""Fault-injection tests: the real app against the fake Slack (tests/fakeslack), in-process and as a
`serve --http` subprocess killed with SIGKILL at each step."""

from tests.fakeslack.fixtures import fake_slack, fake_socket, slack_app, slack_mode  # noqa: F401
from tests.incidents.conftest import directory_file, directory_text  # noqa: F401
