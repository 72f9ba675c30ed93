"""Showing a Check result to its author only, after 「確認しています…」 when the draft is long.

A draft over PLACEHOLDER_CHARS shows the placeholder at once; a shorter one shows it only if the check
takes longer than PLACEHOLDER_AFTER_S. The result then replaces the placeholder: through the response_url
(replace_original) for messages, views.update for the modal, chat.update in a DM. Nothing here logs a
draft or a result's text: failures are logged by error code only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks.check import checking_blocks, result_modal
from bot.slack.blocks.common import paginate, text_blocks, to_dicts
from bot.slack.delivery import error_code, outcome_unknown, post_message, post_private, respond_ephemeral
from bot.slack.flows import CheckReply
from bot.slack.wording import say

log = logging.getLogger(__name__)

PLACEHOLDER_CHARS = 1000  # a longer draft shows 「確認しています…」 before the check starts
PLACEHOLDER_AFTER_S = 1.0  # a shorter one shows it if the check has not finished by then


class Placeholder:
    """「確認しています…」 shown at most once, now or after a delay (a timer thread); ``settle()`` after the
    check cancels a placeholder not yet shown, or waits for one being shown, and tells whether it is on
    screen (so that the result replaces it)."""

    def __init__(self, show: Callable[[], bool]):
        self._show = show
        self._lock = threading.Lock()
        self._state = "idle"  # idle → shown | failed | cancelled
        self._timer: threading.Timer | None = None

    def start(self, draft_chars: int) -> Placeholder:
        if draft_chars > PLACEHOLDER_CHARS:
            self._fire()
        else:
            self._timer = threading.Timer(PLACEHOLDER_AFTER_S, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _fire(self) -> None:
        with self._lock:  # held while posting: settle() waits for a placeholder in flight
            if self._state != "idle":
                return
            try:
                ok = bool(self._show())
            except Exception as err:  # noqa: BLE001 - a placeholder never stops the result
                log.warning("placeholder failed: %s", type(err).__name__)
                ok = False
            self._state = "shown" if ok else "failed"

    def settle(self) -> bool:
        if self._timer:
            self._timer.cancel()
        with self._lock:
            if self._state == "idle":
                self._state = "cancelled"
            return self._state == "shown"


def _checking_text() -> str:
    return say("check.j2", "checking_text")


def _run(work: Callable[[], CheckReply]) -> CheckReply:
    """The check; a crash becomes the apology in its place (so 「確認しています…」 never stays on screen).
    Logged by type only: the exception's text could quote the draft."""
    try:
        return work()
    except Exception as err:  # noqa: BLE001
        log.error("check failed: %s", type(err).__name__)
        msg = say("common.j2", "internal_error")
        return CheckReply(None, text_blocks(msg), msg)


def _respond_pages(response_url: str, blocks: list, text: str, replace_first: bool) -> bool:
    for i, page in enumerate(paginate(blocks)):
        if not respond_ephemeral(response_url, to_dicts(page), text, replace_original=replace_first and i == 0):
            return False
    return True


def reply_privately(client, *, channel: str, user: str, response_url: str | None, draft_chars: int,
                    work: Callable[[], CheckReply], replace_original: bool = False) -> CheckReply:
    """Run ``work`` (the check) and show its result to ``user`` only (ephemeral). ``replace_original``:
    the result takes the place of the message acted on (a re-check button on an earlier result)."""
    placeholder = None
    if response_url:
        placeholder = Placeholder(lambda: respond_ephemeral(
            response_url, to_dicts(checking_blocks()), _checking_text(), replace_original=replace_original))
        placeholder.start(draft_chars)
    reply = _run(work)
    shown = placeholder.settle() if placeholder else False
    if response_url and (shown or replace_original):
        if _respond_pages(response_url, reply.blocks, reply.text, replace_first=True):
            return reply
        log.warning("response_url refused the result; posting it ephemerally instead")
    post_private(client, channel, user, reply.blocks, reply.text, response_url=None if shown else response_url)
    return reply


def reply_in_dm(client, *, channel: str, draft_chars: int, work: Callable[[], CheckReply]) -> CheckReply:
    """Run ``work`` and post its result into the DM ``channel`` (the placeholder message is updated)."""
    posted: dict = {}

    def show() -> bool:
        resp = client.chat_postMessage(channel=channel, blocks=to_dicts(checking_blocks()), text=_checking_text())
        posted["ts"] = resp.get("ts")
        return bool(posted["ts"])

    placeholder = Placeholder(show).start(draft_chars)
    reply = _run(work)
    shown = placeholder.settle()
    if shown:
        pages = paginate(reply.blocks)
        try:
            client.chat_update(channel=channel, ts=posted["ts"], blocks=to_dicts(pages[0]), text=reply.text)
            for page in pages[1:]:
                client.chat_postMessage(channel=channel, blocks=to_dicts(page), text=reply.text)
            return reply
        except (SlackApiError, SlackClientError, OSError) as err:
            log.warning("chat.update of the placeholder failed: %s", error_code(err))
            if outcome_unknown(err):
                return reply
    post_message(client, channel, reply.blocks, reply.text)
    return reply


def reply_in_view(client, *, view_id: str, user: str, draft_chars: int, work: Callable[[], CheckReply],
                  placeholder_shown: bool = False) -> CheckReply | None:
    """Run ``work`` and show its result in the modal ``view_id`` (after 「確認しています…」 if long or slow;
    ``placeholder_shown``: the ack already shows it). A modal that cannot be updated is explained by DM."""
    placeholder = None
    if not placeholder_shown:
        placeholder = Placeholder(lambda: bool(client.views_update(view_id=view_id, view=result_modal())))
        placeholder.start(draft_chars)
    reply = _run(work)
    if placeholder:
        placeholder.settle()
    try:
        client.views_update(view_id=view_id, view=result_modal(reply.blocks, reply.metadata))
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("views.update failed: %s", error_code(err))
        if outcome_unknown(err):
            return reply  # the result may be on screen; a "failed" message could contradict it
        # the modal would stay on 「確認しています…」: tell the user (without the draft) by direct message
        if user:
            msg = say("delivery.j2", "modal_failed")
            post_message(client, user, text_blocks(msg), msg)
    return reply
