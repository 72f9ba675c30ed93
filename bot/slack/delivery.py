"""Sending replies. Web API errors never escape a listener: after slack_sdk's retries (connection errors,
429 with Retry-After, 5xx) a failure is reported to the user in Japanese where possible, and logged by
error code only — never with message text, which may contain a draft."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient

from bot.slack.blocks.common import paginate, to_dicts
from bot.slack.client import retry_handlers
from bot.slack.ids import EPHEMERAL_UNREACHABLE
from bot.slack.wording import say

log = logging.getLogger(__name__)



def error_code(err: Exception) -> str:
    if isinstance(err, SlackApiError):
        try:
            return str(err.response.get("error") or f"HTTP {err.response.status_code}")
        except Exception:  # noqa: BLE001
            return "unknown_error"
    return type(err).__name__


def post_message(client: WebClient, channel: str, blocks: Sequence[Block], text: str, thread_ts: str | None = None) -> bool:
    """Post blocks (several messages if over 50 blocks) into a conversation; on failure, try a short
    plain apology in the same place. Returns True when the whole reply was delivered."""
    try:
        for page in paginate(blocks):
            client.chat_postMessage(channel=channel, blocks=to_dicts(page), text=text, thread_ts=thread_ts,
                                    unfurl_links=False, unfurl_media=False)
        log.debug("chat.postMessage ok: channel %s, %d block(s)", channel, len(blocks))
        return True
    except (SlackApiError, SlackClientError) as err:
        code = error_code(err)
        log.warning("chat.postMessage failed: %s", code)
        try:
            client.chat_postMessage(channel=channel, text=say("common.j2", "send_failed", code=code), thread_ts=thread_ts)
        except (SlackApiError, SlackClientError) as err2:
            log.warning("apology could not be posted either: %s", error_code(err2))
        return False


def post_private(client: WebClient, channel: str, user: str, blocks: Sequence[Block], text: str,
                 response_url: str | None = None) -> bool:
    """Show blocks to one user only: chat.postEphemeral; where the bot cannot post (not a member), the
    command's response_url as an ephemeral response, else a direct message to the user."""
    pages = [to_dicts(p) for p in paginate(blocks)]
    try:
        for page in pages:
            client.chat_postEphemeral(channel=channel, user=user, blocks=page, text=text)
        log.debug("chat.postEphemeral ok: channel %s, user %s, %d page(s)", channel, user, len(pages))
        return True
    except (SlackApiError, SlackClientError) as err:
        code = error_code(err)
        log.warning("chat.postEphemeral failed: %s", code)
        if code in EPHEMERAL_UNREACHABLE:
            if response_url and _respond(response_url, pages, text):
                return True
            try:
                for page in pages:
                    client.chat_postMessage(channel=user, blocks=page, text=text)
                return True
            except (SlackApiError, SlackClientError) as err2:
                code = error_code(err2)
                log.warning("direct message failed: %s", code)
                return False
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=say("common.j2", "send_failed", code=code))
        except (SlackApiError, SlackClientError) as err2:
            log.warning("apology could not be posted either: %s", error_code(err2))
        return False


def _respond(response_url: str, pages: list[list[dict]], text: str, replace_original: bool = False) -> bool:
    client = WebhookClient(url=response_url, timeout=10, retry_handlers=retry_handlers())
    try:
        for page in pages:
            resp = client.send(text=text, blocks=page, response_type="ephemeral", replace_original=replace_original)
            if resp.status_code != 200:
                log.warning("response_url answered HTTP %s", resp.status_code)
                return False
        return True
    except Exception as err:  # noqa: BLE001 - network errors of any kind
        log.warning("response_url failed: %s", type(err).__name__)
        return False


def respond_ephemeral(response_url: str, blocks: list[dict], text: str, replace_original: bool) -> bool:
    return _respond(response_url, [blocks], text, replace_original=replace_original)


def guarded(notify: Callable[..., None] | None = None):
    """Decorator for lazy listeners: an unexpected error is logged by type (never with payload text) and,
    if ``notify`` is given, the user is told in Japanese; the process keeps running."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as err:  # noqa: BLE001
                log.error("%s failed: %s", fn.__name__, type(err).__name__)
                if notify:
                    try:
                        notify(**kwargs)
                    except Exception as err2:  # noqa: BLE001
                        log.error("could not tell the user: %s", type(err2).__name__)
            return None

        return inner  # functools.wraps: Bolt unwraps it to inject arguments by the wrapped names

    return wrap
