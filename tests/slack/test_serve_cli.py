"""`python -m bot serve` and `python -m bot unanswered` as separate processes, against the fakes."""

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests import learned_cache
from tests.fakeslack import payloads as P
from tests.fakeslack.api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.fakeslack.drivers import HttpDriver, SocketDriver
from tests.reliability.served import free_port

ROOT = Path(__file__).resolve().parents[2]
DRAFT_SECRET = "秘密の下書き090-9999-0000"


def _env(bot_db, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update({"BOT_DB": str(bot_db), "PYTHONUNBUFFERED": "1"})
    env.pop("BOT_DEBUG", None)
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def _bot(args, env, timeout=120):
    learned_cache.prime(env.get("BOT_DB"))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize(
    "args, env, variable",
    [
        (["serve"], {}, "SLACK_BOT_TOKEN"),
        (["serve"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN"),
        (["serve"], {"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_APP_TOKEN": APP_TOKEN}, "SLACK_BOT_TOKEN"),
        (["serve"], {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-not-app"}, "SLACK_APP_TOKEN"),
        (["serve", "--http", "--port", "3999"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        (["serve"], {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": "slack.example"},
         "SLACK_API_URL"),
    ],
)
def test_missing_or_malformed_settings_give_one_line(args, env, variable, bot_db):
    result = _bot(args, _env(bot_db, **env))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0]
    assert "Traceback" not in result.stderr


def test_rejected_token_gives_one_line(fake_slack, bot_db):
    env = _env(bot_db, SLACK_BOT_TOKEN="xoxb-revoked", SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=fake_slack.url)
    result = _bot(["serve"], env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "SLACK_BOT_TOKEN" in line and "invalid_auth" in line


def test_unreachable_api_gives_one_line(bot_db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    env = _env(bot_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=f"http://127.0.0.1:{port}/api/")
    result = _bot(["serve"], env, timeout=60)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "SLACK_API_URL" in line
    assert "ネットワークの接続と SLACK_API_URL の値を確認してください。" in line


class Server:
    """A `python -m bot serve` child process; stdout lines are collected on a thread."""

    def __init__(self, args, env):
        learned_cache.prime(env.get("BOT_DB"))
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stdout], daemon=True).start()

    def wait_line(self, needle, timeout=180):  # a cold start trains the learned layer: slow on a loaded machine
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.proc.kill()
                raise AssertionError(f"no '{needle}' from the server; stderr: {self.proc.stderr.read()}") from None
            if needle in line:
                return line

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=15)
        return self.proc.returncode, err


def test_serve_http_end_to_end(fake_slack, bot_db):
    port = free_port()
    # BOT_DEBUG=1: even the most verbose log must not contain a draft
    env = _env(bot_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.url,
               BOT_DEBUG="1")
    server = Server(["serve", "--http", "--host", "127.0.0.1", "--port", str(port)], env)
    try:
        server.wait_line("/slack/events")
        driver = HttpDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        assert driver.event(P.message_im("勤務中にSNSを見てもいいですか")).status == 200
        assert driver.command(P.slash_command("/sns-check", DRAFT_SECRET, fake_slack.response_url())).status == 200
        assert driver.event(P.message_im("x"), secret="bad").status == 401
        [answer] = fake_slack.wait_for("chat.postMessage")
        assert "【8(1)⑤】" in json.dumps(answer.params["blocks"], ensure_ascii=False)
        [result] = fake_slack.wait_for("chat.postEphemeral")
        # 「私的なアカウントとして確認し直す」: the draft comes back in the button value only
        [button] = [e for b in result.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert driver.interactive(P.block_actions(button["action_id"], button["value"], {"ts": P.ts()},
                                                  fake_slack.response_url(), is_ephemeral=True,
                                                  block_id="check_again")).status == 200
        fake_slack.wait_for("response_url", where=lambda c: "私的なアカウントの投稿として" in json.dumps(
            c.params.get("blocks"), ensure_ascii=False))
        # the modal and the message shortcut carry the draft too
        from bot.slack.blocks.check import check_modal

        values = {"draft": {"text": {"type": "plain_text_input", "value": DRAFT_SECRET}},
                  "account": {"choice": {"type": "radio_buttons", "selected_option": {"value": "private"}}}}
        assert driver.interactive(P.view_submission(check_modal().to_dict(), values)).status == 200
        fake_slack.wait_for("views.update")
        assert driver.interactive(P.message_shortcut("check_message", DRAFT_SECRET, fake_slack.response_url())).status == 200
        fake_slack.wait_for("chat.postEphemeral", count=2)
    finally:
        code, err = server.stop()
    assert code == 0
    assert DRAFT_SECRET not in err and "090-9999-0000" not in err and "Traceback" not in err
    assert "DEBUG" in err  # the debug log was on
    for path in bot_db.parent.glob("bot.db*"):
        assert DRAFT_SECRET.encode() not in path.read_bytes() and b"090-9999-0000" not in path.read_bytes()
    assert all("090-9999-0000" not in c.text_everywhere for c in fake_slack.calls_to("chat.postMessage"))


def test_serve_socket_mode_end_to_end(fake_slack, fake_socket, bot_db):
    env = _env(bot_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=fake_slack.url,
               BOT_DEBUG="1")
    server = Server(["serve"], env)
    try:
        server.wait_line("Socket Mode")
        driver = SocketDriver(fake_socket)
        assert driver.command(P.slash_command("/sns-ask", "勤務中にSNSを見てもいいですか", fake_slack.response_url())).status == 200
        [call] = fake_slack.wait_for("chat.postEphemeral")
        assert "【8(1)⑤】" in json.dumps(call.params["blocks"], ensure_ascii=False)
        assert fake_slack.calls_to("apps.connections.open")[0].headers["authorization"] == f"Bearer {APP_TOKEN}"
        driver.interactive(P.message_shortcut("check_message", DRAFT_SECRET, fake_slack.response_url()))
        fake_slack.wait_for("chat.postEphemeral", count=2)
    finally:
        code, err = server.stop()
    assert code == 0 and "Traceback" not in err
    assert "DEBUG" in err and "090-9999-0000" not in err
    for path in bot_db.parent.glob("bot.db*"):
        assert b"090-9999-0000" not in path.read_bytes()
    assert all("090-9999-0000" not in c.text_everywhere for c in fake_slack.calls_to("chat.postMessage"))


def test_unanswered_cli(bot_db):
    from bot.feedback import log_unanswered

    env = _env(bot_db)
    empty = _bot(["unanswered", "--json"], env)
    assert empty.returncode == 0 and json.loads(empty.stdout) == []
    log_unanswered("今日の給食は？", "dm")
    log_unanswered("今日の給食は", "command")
    log_unanswered("駐車場はどこですか", "dm")
    items = json.loads(_bot(["unanswered", "--json"], env).stdout)
    assert [(i["question"], i["count"]) for i in items] == [("今日の給食は", 2), ("駐車場はどこですか", 1)]
    assert set(items[0]) == {"question", "count", "first_asked", "last_asked"}
    text = _bot(["unanswered"], env).stdout
    assert "2件" in text and "駐車場はどこですか" in text


def test_port_in_use_gives_one_line(fake_slack, bot_db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = _env(bot_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.url)
        result = _bot(["serve", "--http", "--host", "127.0.0.1", "--port", str(port)], env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert str(port) in line and "--port" in line


def test_rejected_app_token_gives_one_line(fake_slack, fake_socket, bot_db):
    env = _env(bot_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-1-revoked", SLACK_API_URL=fake_slack.url)
    result = _bot(["serve"], env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "SLACK_APP_TOKEN" in line and "invalid_auth" in line


@pytest.mark.parametrize(
    "env, variable",
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_APP_TOKEN": APP_TOKEN}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": "slack.example"}, "SLACK_API_URL"),
    ],
)
def test_settings_errors_are_polite_japanese_and_never_show_a_token(env, variable, monkeypatch, capsys):
    from bot.__main__ import main

    for key in [k for k in os.environ if k.startswith("SLACK_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["serve"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"エラー: 環境変数 {variable} ") and line.endswith("。")
    assert "is not set" not in line and "malformed" not in line and "must be" not in line
    assert "xoxp-user-token" not in line  # a wrong token is named, not printed


def test_unusable_database_gives_one_polite_line(tmp_path, monkeypatch, capsys):
    from bot import store
    from bot.__main__ import main

    store.close_all()
    monkeypatch.setenv("BOT_DB", str(tmp_path))  # a folder, not a database file
    assert main(["incidents", "--csv"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("エラー: 環境変数 BOT_DB のデータベース") and "書き込み権限を確認してください。" in line


def test_api_url_without_the_api_path_is_named(fake_slack, bot_db):
    """A base URL that is not the Web API (here: missing /api/) is blamed, not the token."""
    base = fake_slack.url.rsplit("/api/", 1)[0] + "/"
    result = _bot(["serve"], _env(bot_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=base))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "SLACK_API_URL" in line and "/api/" in line and "トークン" not in line
