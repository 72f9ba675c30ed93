"""`python -m bot serve` (Socket Mode, default) / `python -m bot serve --http --port N` (POST /slack/events).

Settings come from the environment (SLACK_BOT_TOKEN, SLACK_APP_TOKEN or SLACK_SIGNING_SECRET,
SLACK_API_URL, BOT_DB); a missing or malformed one stops with one line naming it.
SIGTERM / Ctrl+C stop gracefully: no new requests, the work in hand is finished, the delivery worker stops
after the Delivery it is sending; pending Deliveries stay in the database for the next start.
"""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--http", action="store_true", help="Socket Mode ではなく HTTP で待ち受けます（POST /slack/events）")
    p.add_argument("--port", type=int, default=3000, help="HTTP のポート番号（既定: 3000）")
    p.add_argument("--host", default="0.0.0.0", help="HTTP で待ち受けるアドレス（既定: 0.0.0.0）")


def _configure_logging() -> None:
    import logging

    from bot import config

    level = logging.DEBUG if config.debug() else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # slack_sdk and Bolt log request and payload bodies at DEBUG: those may contain a draft. Never show them.
    for name in ("slack_sdk", "slack_bolt", "bot.slack.web"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("bot.slack.bolt").setLevel(logging.ERROR)
    logging.getLogger("bot.slack.socket").setLevel(logging.INFO)


def _prepare_check() -> None:
    from bot.screening import prepare

    prepare()  # Check's learned layer, trained once per examples' hash (kept in BOT_DB): no request waits for it


def run(args: argparse.Namespace) -> int:
    import logging
    import signal
    import sys
    import threading

    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.config import SlackSettings
    from bot.errors import UserError

    if args.http and not (0 < args.port < 65536):
        raise UserError(f"--port の値が正しくありません（{args.port}）。1〜65535 の番号を指定してください。")
    settings = SlackSettings.from_env(http=args.http)
    _configure_logging()

    from bot.knowledge import require_valid
    from bot.search.index import current_index
    from bot.slack.app import create_app, stop_app
    from bot.slack.client import make_client
    from bot.slack.delivery import error_code

    require_valid()  # a broken pack: the same lines as `python -m bot knowledge check`, exit 2
    from bot import semantics
    from bot.search.semantic import current as semantic_index

    # warm-up: the search index, clause/example vectors (from the database cache), trained parameters and
    # the embedding model, before the first question arrives
    semantic_index(current_index())
    semantics.warm()
    from bot.incidents.directory import validate_at_start

    validate_at_start()  # BOT_DIRECTORY set but wrong: one line naming the file and line, exit 2
    api = settings.web_api_url
    web_log = logging.getLogger("bot.slack.web")
    web_log.setLevel(logging.CRITICAL)  # a start-up failure is reported below in one line
    try:
        client = make_client(settings)
        client.auth_test()  # a rejected token or an unreachable SLACK_API_URL shows here
        app = create_app(settings, http=args.http, client=client)
    except (BoltError, SlackApiError) as err:
        if isinstance(err, SlackApiError) and getattr(err.response, "status_code", 200) == 404:
            raise UserError(f"SLACK_API_URL（{api}）は Slack の Web API ではないようです（HTTP 404）。"
                            "通常は末尾が /api/ の URL です（例: https://slack.com/api/）。") from None
        code = error_code(err) if isinstance(err, SlackApiError) else type(err).__name__
        raise UserError(f"SLACK_BOT_TOKEN が Slack に受け付けられませんでした（{code}）。トークンを確認してください。") from None
    except (SlackClientError, OSError) as err:
        raise UserError(f"SLACK_API_URL（{api}）に接続できませんでした（{type(err).__name__}）。"
                        "ネットワークの接続と SLACK_API_URL の値を確認してください。") from None
    web_log.setLevel(logging.WARNING)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    if args.http:
        from bot.slack.http import make_server, serve_in_thread

        try:
            server = make_server(app, args.host, args.port)
        except OSError as err:
            raise UserError(f"ポート {args.port} で待ち受けできません（{err.strerror}）。別の --port を指定してください。") from None
        _prepare_check()
        serve_in_thread(server)
        print(f"HTTP で待ち受けています: http://{args.host}:{server.server_address[1]}/slack/events", flush=True)
        stop.wait()
        server.shutdown()  # no new requests; those in hand finish below
        server.server_close()
        stop_app(app)
    else:
        from bot.slack.socket_mode import close_quickly, make_handler

        handler = make_handler(app, settings.app_token)
        socket_log = logging.getLogger("bot.slack.socket")
        socket_log.setLevel(logging.CRITICAL)  # a failure is reported below in one line
        try:
            handler.connect()
        except SlackApiError as err:
            raise UserError(f"SLACK_APP_TOKEN が Slack に受け付けられませんでした（{error_code(err)}）。"
                            "connections:write スコープのアプリレベルトークンか確認してください。") from None
        except (SlackClientError, OSError) as err:
            raise UserError(f"Socket Mode の接続を開けませんでした（{type(err).__name__}）。"
                            "ネットワークの接続を確認してから、もう一度起動してください。") from None
        socket_log.setLevel(logging.INFO)
        _prepare_check()
        print("Socket Mode で Slack に接続しました。Ctrl+C で終了します。", flush=True)
        stop.wait()
        close_quickly(handler)
        stop_app(app)
    print("終了しました。", file=sys.stderr, flush=True)
    return 0
