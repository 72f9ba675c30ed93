"""Block Kit for takedown requests: the form (modal), the list in the incident's reply, the recheck reminder
with its two answers, and the modal for a new recheck date."""

from __future__ import annotations

import json
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.incidents import platforms
from bot.incidents.takedowns import MAX_REFERENCE_CHARS, Takedown
from bot.slack.blocks.common import plain, section, sections
from bot.slack.ids import (
    TAKEDOWN_ACTION,
    TAKEDOWN_ANSWER_BLOCK,
    TAKEDOWN_MODAL_ID,
    TAKEDOWN_NEXT_RECHECK_ACTION,
    TAKEDOWN_NEXT_RECHECK_BLOCK,
    TAKEDOWN_PLATFORM_ACTION,
    TAKEDOWN_PLATFORM_BLOCK,
    TAKEDOWN_RECHECK_ACTION,
    TAKEDOWN_RECHECK_BLOCK,
    TAKEDOWN_RECHECK_MODAL_ID,
    TAKEDOWN_RECHECK_REMAINING_ACTION,
    TAKEDOWN_RECHECK_REMOVED_ACTION,
    TAKEDOWN_REFERENCE_ACTION,
    TAKEDOWN_REFERENCE_BLOCK,
    TAKEDOWN_REQUESTED_ACTION,
    TAKEDOWN_REQUESTED_BLOCK,
)
from bot.slack.wording import say


def _say(macro: str, **values) -> str:
    return say("takedown.j2", macro, **values)


def record_button(incident_id: int) -> ButtonElement:
    return ButtonElement(text=plain(_say("button")), action_id=TAKEDOWN_ACTION, value=str(incident_id))


def takedown_modal(incident_id: int, url: str, requested: date, recheck: date, platform: str = "") -> View:
    options = [Option(value=pid, label=lbl) for pid, lbl, _ in platforms.PLATFORMS]
    initial = next((o for o in options if o.value == platform), None)
    blocks: list[Block] = [
        section(_say("modal_intro", incident_id=incident_id, url=url)),
        InputBlock(block_id=TAKEDOWN_PLATFORM_BLOCK, label=plain(_say("platform_label")),
                   element=StaticSelectElement(action_id=TAKEDOWN_PLATFORM_ACTION, options=options, initial_option=initial)),
        InputBlock(block_id=TAKEDOWN_REQUESTED_BLOCK, label=plain(_say("requested_label")),
                   element=DatePickerElement(action_id=TAKEDOWN_REQUESTED_ACTION, initial_date=requested.isoformat())),
        InputBlock(block_id=TAKEDOWN_REFERENCE_BLOCK, label=plain(_say("reference_label")), optional=True,
                   element=PlainTextInputElement(action_id=TAKEDOWN_REFERENCE_ACTION, max_length=MAX_REFERENCE_CHARS,
                                                 placeholder=plain(_say("reference_placeholder")))),
        InputBlock(block_id=TAKEDOWN_RECHECK_BLOCK, label=plain(_say("recheck_label")),
                   element=DatePickerElement(action_id=TAKEDOWN_RECHECK_ACTION, initial_date=recheck.isoformat())),
    ]
    return View(type="modal", callback_id=TAKEDOWN_MODAL_ID, title=plain(_say("modal_title")),
                submit=plain(_say("modal_submit")), close=plain(_say("modal_close")), blocks=blocks,
                private_metadata=json.dumps({"incident": incident_id}))


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _values(view: dict) -> dict:
    return (view.get("state") or {}).get("values") or {}


def takedown_state(view: dict) -> dict:
    """The form's values: incident, platform, requested, reference, recheck (dates as date or None)."""
    meta = json.loads(view.get("private_metadata") or "{}")
    v = _values(view)
    selected = ((v.get(TAKEDOWN_PLATFORM_BLOCK) or {}).get(TAKEDOWN_PLATFORM_ACTION) or {}).get("selected_option") or {}
    return {
        "incident": int(meta["incident"]),
        "platform": str(selected.get("value") or ""),
        "requested": _date(((v.get(TAKEDOWN_REQUESTED_BLOCK) or {}).get(TAKEDOWN_REQUESTED_ACTION) or {}).get("selected_date")),
        "reference": str(((v.get(TAKEDOWN_REFERENCE_BLOCK) or {}).get(TAKEDOWN_REFERENCE_ACTION) or {}).get("value") or ""),
        "recheck": _date(((v.get(TAKEDOWN_RECHECK_BLOCK) or {}).get(TAKEDOWN_RECHECK_ACTION) or {}).get("selected_date")),
    }


FIELD_BLOCKS = {"platform": TAKEDOWN_PLATFORM_BLOCK, "requested": TAKEDOWN_REQUESTED_BLOCK,
                "reference": TAKEDOWN_REFERENCE_BLOCK, "recheck": TAKEDOWN_RECHECK_BLOCK}


def list_blocks(takedowns: tuple[Takedown, ...] | list[Takedown]) -> list[Block]:
    """The requests recorded so far, for the incident's reply."""
    return sections(_say("list", takedowns=list(takedowns))) if takedowns else []


def reminder_blocks(t: Takedown, incident, label: str) -> tuple[list[Block], str]:
    buttons = [
        ButtonElement(text=plain(_say("removed_button")), action_id=TAKEDOWN_RECHECK_REMOVED_ACTION, value=str(t.id), style="primary"),
        ButtonElement(text=plain(_say("remaining_button")), action_id=TAKEDOWN_RECHECK_REMAINING_ACTION, value=str(t.id)),
    ]
    return [*sections(_say("reminder", t=t, incident=incident, label=label)),
            ActionsBlock(block_id=TAKEDOWN_ANSWER_BLOCK, elements=buttons)], _say("reminder_text", incident=incident)


def answered_blocks(t: Takedown, incident, label: str, user: str) -> tuple[list[Block], str]:
    """The reminder after it was answered: what was recorded, no buttons."""
    text = _say("answered", t=t, user=user)
    return [*sections(_say("reminder", t=t, incident=incident, label=label)), section(text)], text


def recheck_modal(t: Takedown, next_date: date, channel: str, ts: str) -> View:
    return View(type="modal", callback_id=TAKEDOWN_RECHECK_MODAL_ID, title=plain(_say("recheck_modal_title")),
                submit=plain(say("takedown.j2", "modal_submit")), close=plain(_say("modal_close")),
                blocks=[section(_say("recheck_modal_intro", t=t)),
                        InputBlock(block_id=TAKEDOWN_NEXT_RECHECK_BLOCK, label=plain(_say("recheck_date_label")),
                                   element=DatePickerElement(action_id=TAKEDOWN_NEXT_RECHECK_ACTION, initial_date=next_date.isoformat()))],
                private_metadata=json.dumps({"takedown": t.id, "channel": channel, "ts": ts}))


def recheck_state(view: dict) -> tuple[int, date | None, str, str]:
    """(takedown id, next recheck date, channel, ts of the reminder) from the submitted modal."""
    meta = json.loads(view.get("private_metadata") or "{}")
    v = _values(view)
    picked = ((v.get(TAKEDOWN_NEXT_RECHECK_BLOCK) or {}).get(TAKEDOWN_NEXT_RECHECK_ACTION) or {}).get("selected_date")
    return int(meta["takedown"]), _date(picked), str(meta.get("channel") or ""), str(meta.get("ts") or "")
