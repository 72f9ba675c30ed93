"""Run the real app (bot.slack.app.create_app) in-process against the fakes, in either mode."""

from __future__ import annotations

from bot.config import SlackSettings
from tests.fakeslack.api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI
from tests.fakeslack.drivers import Ack, HttpDriver, SocketDriver
from tests.fakeslack.socket_mode import FakeSocketMode


class RunningApp:
    """The app under test. ``event/command/interactive`` deliver a payload the way the current mode
    does (signed HTTP POST to /slack/events, or a Socket Mode envelope) and return the ``Ack``."""

    def __init__(self, mode: str, api: FakeSlackAPI, socket: FakeSocketMode | None = None, **wiring):
        assert mode in ("http", "socket")
        if mode == "socket" and socket is None:
            raise ValueError("socket mode needs a FakeSocketMode")
        self.mode, self.api, self.socket = mode, api, socket
        self.wiring = wiring  # create_app's mention_routes / home_sections / start_hooks, if not the defaults
        self.settings = SlackSettings(bot_token=BOT_TOKEN, app_token=APP_TOKEN, signing_secret=SIGNING_SECRET,
                                      api_url=api.url)
        self.app = self.driver = None
        self._server = self._handler = None
        self.start()

    def start(self) -> None:
        from bot.slack.app import create_app

        self.app = create_app(self.settings, http=self.mode == "http", **self.wiring)
        if self.mode == "http":
            from bot.slack.http import make_server, serve_in_thread

            self._server = make_server(self.app, "127.0.0.1", 0)
            serve_in_thread(self._server, poll_interval=0.02)
            self.driver = HttpDriver(f"http://127.0.0.1:{self._server.server_address[1]}/slack/events", SIGNING_SECRET)
        else:
            from bot.slack.socket_mode import make_handler

            before = self.socket.connects
            self._handler = make_handler(self.app, APP_TOKEN)
            self._handler.connect()
            self.socket.wait_connected()
            assert self.socket.connects > before
            self.driver = SocketDriver(self.socket)

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._handler:
            from bot.slack.socket_mode import close_quickly

            close_quickly(self._handler)
            self._handler = None
        if self.app:
            from bot.slack.app import stop_app

            stop_app(self.app)
            self.app = None

    def restart(self) -> None:
        """Stop and start again (same database and fakes): what a process restart looks like to Slack.
        Process-wide state that a new process would not have is dropped too (the template environment)."""
        from bot.slack import wording

        self.stop()
        wording._env.cache_clear()
        self.start()

    @property
    def url(self) -> str | None:
        """POST URL of the HTTP server (HTTP mode)."""
        return self.driver.url if self.mode == "http" else None

    def event(self, body: dict, retry_num: int | None = None) -> Ack:
        self.api.user_posted(body)  # the message is in Slack before Slack tells the app about it
        return self.driver.event(body, retry_num=retry_num)

    def command(self, form: dict) -> Ack:
        return self.driver.command(form)

    def interactive(self, payload: dict) -> Ack:
        return self.driver.interactive(payload)
