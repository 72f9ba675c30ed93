"""A fake Slack Web API over HTTP on 127.0.0.1 (see the package docstring for the API)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fakeslack import limits

BOT_TOKEN = "xoxb-0000-fake-bot-token"
APP_TOKEN = "xapp-1-A0APP-0000-fake-app-token"
SIGNING_SECRET = "fake-signing-secret-0123456789abcdef"
TEAM_ID, APP_ID, BOT_USER_ID, BOT_ID = "T0TEAM", "A0APP", "U0BOT", "B0BOT"

# fields that Slack clients send as JSON strings inside form bodies
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata")


@dataclass
class Call:
    """One request the app made. ``method`` is the Web API method (e.g. "chat.postMessage"), or
    "response_url" for a POST to a URL made by ``FakeSlackAPI.response_url()``."""

    method: str
    params: dict
    headers: dict
    path: str
    at: float = field(default_factory=time.monotonic)
    response: dict = field(default_factory=dict)  # what the fake answered (set just after recording)

    @property
    def text_everywhere(self) -> str:
        """Everything the call carried, as one string (for 'this text never appeared' assertions)."""
        return json.dumps(self.params, ensure_ascii=False)


@dataclass
class _Injected:
    status: int
    body: dict
    headers: dict
    times: int
    delay: float = 0.0  # seconds before answering
    perform: bool = False  # do the work anyway (a slow or broken gateway after Slack acted)


def dm_channel(user: str) -> str:
    """The id of the bot's direct-message conversation with ``user`` (what conversations.open returns)."""
    return "D" + user[1:] if user[:1] in ("U", "W") else user


def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("1", "true")


class FakeSlackAPI:
    """Fake Web API. Start with ``start()`` (or use as a context manager); ``url`` is the value for
    SLACK_API_URL. Thread-safe; every call is recorded in order."""

    def __init__(self, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN):
        self.bot_token, self.app_token = bot_token, app_token
        self.socket_url: str | None = None  # set by FakeSocketMode
        self.users: dict[str, dict] = {}  # users.info answers by id; unknown ids get a default profile
        self.missing_users: set[str] = set()  # users.info answers user_not_found for these
        self.replies: dict[tuple[str, str], list[dict]] = {}  # conversations.replies by (channel, ts)
        self.handlers: dict[str, callable] = {}  # method -> fn(params) -> response dict (overrides defaults)
        self.channel_errors: dict[str, str] = {}  # channel -> error for posts, updates and reads there
        self.messages: dict[str, list[dict]] = {}  # channel -> messages the app posted (with metadata)
        self.user_messages: dict[str, list[dict]] = {}  # channel -> messages people posted (see user_posted)
        self._outage: tuple[int, str] | None = None
        # method -> fn(call), run after Slack did the work and before it answers (e.g. kill the app there)
        self.before_answer: dict[str, callable] = {}
        self._calls: list[Call] = []
        self._injected: dict[str, list[_Injected]] = {}
        self.refusals: list[tuple[str, list[str]]] = []  # (method, errors) Slack would have refused
        self._cond = threading.Condition()
        self._last_ts = 0.0
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> FakeSlackAPI:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.02,), name="fake-slack-api", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, tag: str = "hook") -> str:
        """A response_url for a command/interaction payload; POSTs to it are recorded as "response_url"."""
        return f"http://127.0.0.1:{self.port}/response/{tag}-{next(self._ids)}"

    # ------------------------------------------------------------ recorded calls
    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0, where=None) -> list[Call]:
        """Block until at least ``count`` calls of ``method`` (matching ``where(call)``) were made; returns
        them. Raises AssertionError with the calls seen so far on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(f"expected {count} call(s) to {method}, got {len(found)}; calls: {seen}")
                self._cond.wait(left)

    def assert_no_more(self, method: str, count: int, settle: float = 0.3) -> None:
        """Wait ``settle`` seconds and assert that ``method`` was called exactly ``count`` times."""
        time.sleep(settle)
        got = len(self.calls_to(method))
        assert got == count, f"{method} called {got} times, expected {count}"

    def reset(self) -> None:
        with self._cond:
            self._calls.clear()
            self._injected.clear()
            self.refusals.clear()

    # ------------------------------------------------------------ fault injection
    def fail_next(self, method: str, error: str = "internal_error", times: int = 1, status: int = 200,
                  headers: dict | None = None) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}`` with ``status``."""
        self._inject(method, _Injected(status, {"ok": False, "error": error}, headers or {}, times))

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer HTTP 429 with Retry-After."""
        self._inject(method, _Injected(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}, times))

    def slow_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are answered after ``seconds`` (the work is done, as Slack
        does when it is slow: a client that gave up meanwhile does not know the message was posted)."""
        self._inject(method, _Injected(0, {}, {}, times, delay=seconds, perform=True))

    def fail_after_work_next(self, method: str, status: int = 504, times: int = 1) -> None:
        """The next ``times`` calls do the work but answer HTTP ``status`` (a gateway error after Slack acted)."""
        self._inject(method, _Injected(status, {"ok": False, "error": "gateway_timeout"}, {}, times, perform=True))

    def outage(self, status: int = 503, error: str = "service_unavailable") -> None:
        """Every Web API call answers HTTP ``status`` (nothing is done) until ``recover()``."""
        with self._cond:
            self._outage = (status, error)

    def recover(self) -> None:
        with self._cond:
            self._outage = None

    # ------------------------------------------------------------ conversations (what was posted)
    def thread_replies(self, channel: str, thread_ts: str) -> list[dict]:
        """Messages the app posted in a thread."""
        with self._cond:
            return [m for m in self.messages.get(channel, []) if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts]

    def dms_to(self, user: str) -> list[dict]:
        """Direct messages the app sent to ``user``."""
        with self._cond:
            return list(self.messages.get(dm_channel(user), []))

    def user_posted(self, body: dict) -> None:
        """Remember the message of a message / app_mention event callback as Slack would (people's messages
        are listed by conversations.history/replies, next to the app's own)."""
        event = body.get("event") if isinstance(body, dict) else None
        if not isinstance(event, dict) or event.get("type") not in ("message", "app_mention") or not event.get("ts"):
            return
        if event.get("subtype") or event.get("bot_id"):
            return
        msg = {k: v for k, v in event.items() if k in ("type", "user", "text", "ts", "thread_ts", "team", "blocks", "files")}
        msg["type"] = "message"
        with self._cond:
            msgs = self.user_messages.setdefault(str(event.get("channel") or ""), [])
            if all(m["ts"] != msg["ts"] for m in msgs):
                msgs.append(msg)

    def _conversation(self, channel: str) -> list[dict]:
        return self.messages.get(channel, []) + self.user_messages.get(channel, [])

    def all_messages(self) -> list[dict]:
        with self._cond:
            return [m for msgs in self.messages.values() for m in msgs]

    def _inject(self, method: str, item: _Injected) -> None:
        with self._cond:
            self._injected.setdefault(method, []).append(item)

    def _take_injected(self, method: str) -> _Injected | None:
        with self._cond:
            queue = self._injected.get(method) or []
            if not queue:
                return None
            item = queue[0]
            item.times -= 1
            if item.times <= 0:
                queue.pop(0)
            return item

    # ------------------------------------------------------------ answers
    def next_ts(self) -> str:
        """A message ts like Slack's: the current time, strictly increasing (conversations.history's
        ``oldest`` is a time, so looking a Delivery up by time must work as it does in Slack)."""
        with self._cond:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _answer(self, method: str, params: dict, token: str) -> tuple[int, dict, dict]:
        with self._cond:
            outage = self._outage
        if outage:
            return outage[0], {"ok": False, "error": outage[1]}, {}
        injected = self._take_injected(method)
        if injected:
            if not injected.perform:
                time.sleep(injected.delay)
                return injected.status, injected.body, injected.headers
            status, body, headers = self._answer_now(method, params, token)  # done at once, answered late
            time.sleep(injected.delay)
            return (injected.status or status), (injected.body or body), {**headers, **injected.headers}
        return self._answer_now(method, params, token)

    def _answer_now(self, method: str, params: dict, token: str) -> tuple[int, dict, dict]:
        if method == "apps.connections.open":
            if token != self.app_token:
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            if not self.socket_url:
                return 200, {"ok": False, "error": "socket_mode_not_enabled"}, {}
            return 200, {"ok": True, "url": self.socket_url}, {}
        if token != self.bot_token:
            return 200, {"ok": False, "error": "not_authed" if not token else "invalid_auth"}, {}
        refused = self._refused(method, params)
        if refused:
            return 200, refused, {}
        if method in self.handlers:
            return 200, self.handlers[method](params), {}
        channel = str(params.get("channel") or "")
        if channel in self.channel_errors and method in ("chat.postMessage", "chat.update", "conversations.replies",
                                                          "conversations.history", "chat.getPermalink"):
            return 200, {"ok": False, "error": self.channel_errors[channel]}, {}
        fn = getattr(self, "_m_" + method.replace(".", "_"), None)
        if fn is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, fn(params), {}

    def _refused(self, method: str, params: dict) -> dict | None:
        """Slack's answer to blocks or views over Block Kit's limits (see limits.py), else None."""
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"):
            errs = limits.message_errors(params)
        elif method.startswith("views."):
            errs = limits.view_errors(params.get("view"))
        else:
            return None
        if not errs:
            return None
        self.refusals.append((method, errs))
        code = "msg_too_long" if all(e.startswith("text over") for e in errs) else "invalid_blocks"
        return {"ok": False, "error": code, "errors": errs}

    def _m_auth_test(self, p):
        return {"ok": True, "url": "https://urausu-town.slack.com/", "team": "浦臼町", "user": "snsbot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_chat_postMessage(self, p):
        ts = self.next_ts()
        channel = dm_channel(str(p.get("channel") or ""))  # a user id posts into the DM with that user
        msg = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID, "text": p.get("text", ""),
               "ts": ts, "team": TEAM_ID}
        if p.get("blocks"):
            msg["blocks"] = p["blocks"]
        if p.get("thread_ts"):
            msg["thread_ts"] = p["thread_ts"]
        metadata = p.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return {"ok": False, "error": "invalid_metadata_format"}
        if metadata is not None:
            if not isinstance(metadata, dict) or not metadata.get("event_type") or \
                    not isinstance(metadata.get("event_payload"), dict):
                return {"ok": False, "error": "invalid_metadata_schema"}
        with self._cond:
            stored = {**msg, "metadata": metadata} if metadata else dict(msg)
            self.messages.setdefault(channel, []).append(stored)
        return {"ok": True, "channel": channel, "ts": ts, "message": msg}

    def _m_chat_postEphemeral(self, p):
        return {"ok": True, "message_ts": self.next_ts()}

    def _m_chat_update(self, p):
        with self._cond:
            for m in self.messages.get(dm_channel(str(p.get("channel") or "")), []):
                if m["ts"] == p.get("ts"):
                    m["text"], m["blocks"], m["edited"] = p.get("text", ""), p.get("blocks", []), {"user": BOT_USER_ID}
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts"), "text": p.get("text", ""),
                "message": {"text": p.get("text", ""), "blocks": p.get("blocks", [])}}

    def _m_chat_getPermalink(self, p):
        ch, ts = p.get("channel", ""), str(p.get("message_ts", "")).replace(".", "")
        return {"ok": True, "channel": ch, "permalink": f"https://urausu-town.slack.com/archives/{ch}/p{ts}"}

    def _view(self, p):
        view = p.get("view") or {}
        vid = p.get("view_id") or f"V{next(self._ids):08d}"
        return {"ok": True, "view": {**view, "id": vid, "team_id": TEAM_ID, "app_id": APP_ID, "bot_id": BOT_ID,
                                     "hash": f"{next(self._ids)}.fakehash"}}

    _m_views_open = _m_views_update = _m_views_publish = _m_views_push = _view

    def _m_users_info(self, p):
        uid = p.get("user", "")
        if uid in self.missing_users:
            return {"ok": False, "error": "user_not_found"}
        user = self.users.get(uid) or {"id": uid, "team_id": TEAM_ID, "name": uid.lower(), "real_name": f"職員 {uid}",
                                        "is_bot": False, "profile": {"real_name": f"職員 {uid}", "display_name": uid}}
        return {"ok": True, "user": user}

    def _shown(self, m: dict, p: dict) -> dict:
        """A stored message as Slack lists it: metadata only with include_all_metadata=true."""
        m = dict(m)
        if not _truthy(p.get("include_all_metadata")):
            m.pop("metadata", None)
        return m

    def _m_conversations_replies(self, p):
        channel, ts = p.get("channel", ""), str(p.get("ts", ""))
        preset = self.replies.get((channel, ts))
        if preset is not None:
            return {"ok": True, "messages": preset, "has_more": False}
        with self._cond:
            msgs = [self._shown(m, p) for m in self._conversation(channel)
                    if m["ts"] == ts or m.get("thread_ts") == ts]
        msgs.sort(key=lambda m: float(m["ts"]))
        limit = int(p.get("limit") or 1000)
        return {"ok": True, "messages": msgs[:limit], "has_more": len(msgs) > limit}

    def _m_conversations_history(self, p):
        channel = p.get("channel", "")
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or 9e12)
        inclusive = _truthy(p.get("inclusive"))  # like Slack: include messages exactly at oldest/latest

        def within(ts: float) -> bool:
            return (oldest <= ts <= latest) if inclusive else (oldest < ts <= latest)

        with self._cond:
            msgs = [self._shown(m, p) for m in self._conversation(channel)
                    if (not m.get("thread_ts") or m["thread_ts"] == m["ts"]) and within(float(m["ts"]))]
        msgs.sort(key=lambda m: float(m["ts"]), reverse=True)  # newest first, like Slack
        limit = int(p.get("limit") or 100)
        return {"ok": True, "messages": msgs[:limit], "has_more": len(msgs) > limit, "pin_count": 0}

    def _m_conversations_open(self, p):
        users = str(p.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if users in self.missing_users:
            return {"ok": False, "error": "user_not_found"}
        if "," in users:
            return {"ok": True, "channel": {"id": "G" + users.replace(",", "")[:10].upper()}}
        return {"ok": True, "channel": {"id": dm_channel(users)}}

    def _m_conversations_info(self, p):
        return {"ok": True, "channel": {"id": p.get("channel"), "name": "general", "is_member": True}}


def _parse_body(raw: bytes, content_type: str) -> dict:
    if not raw:
        return {}
    text = raw.decode("utf-8")
    if "json" in content_type:
        data = json.loads(text)
        return data if isinstance(data, dict) else {"_json": data}
    params = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()}
    for k in _JSON_FIELDS:
        if isinstance(params.get(k), str):
            try:
                params[k] = json.loads(params[k])
            except ValueError:
                pass
    return params


def _make_handler(fake: FakeSlackAPI):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self, verb: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            try:
                params.update(_parse_body(raw, self.headers.get("Content-Type", "")))
            except ValueError:
                return self._send(400, {"ok": False, "error": "invalid_json"}, {})
            headers = {k.lower(): v for k, v in self.headers.items()}
            if url.path.startswith("/response/"):
                fake._record(Call("response_url", params, headers, url.path))
                injected = fake._take_injected("response_url")
                if injected:
                    return self._send(injected.status, injected.body, injected.headers, raw_text=True)
                if fake._refused("response_url", params):
                    return self._send(400, "invalid_blocks", {}, raw_text=True)
                return self._send(200, "ok", {}, raw_text=True)
            if not url.path.startswith("/api/"):
                return self._send(404, {"ok": False, "error": "not_found"}, {})
            method = url.path[len("/api/"):]
            auth = headers.get("authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else params.get("token", "")
            call = Call(method, params, headers, url.path)
            fake._record(call)
            status, body, extra = fake._answer(method, params, token)
            hook = fake.before_answer.get(method)
            if hook:
                hook(call)
            call.response = body if isinstance(body, dict) else {}
            try:
                self._send(status, body, extra)
            except OSError:
                pass  # the client went away (killed, timed out)

        def do_POST(self):
            self._handle("POST")

        def do_GET(self):
            self._handle("GET")

        def _send(self, status, body, headers, raw_text=False):
            data = (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if raw_text and isinstance(body, str) else "application/json; charset=utf-8")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler
