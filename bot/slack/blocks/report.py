"""Block Kit for Report, built from the plain data of bot.incidents (IncidentReply, Incident).
Wording comes from templates/report.j2."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.incidents.model import WITHDRAWN, Incident, IncidentReply, IncidentType, Step
from bot.slack.blocks.common import context_block, plain, section, sections
from bot.slack.ids import (
    CLAIM_ACTION,
    CLOSE_CANCEL_ACTION,
    CLOSE_CONFIRM_ACTION,
    CLOSE_CONFIRM_BLOCK,
    INCIDENT_CONTROLS_BLOCK,
    NOTICE_ACTIONS,
    RELEASE_ACTION,
    REPORT_MODAL_ID,
    REPORT_NOTE_ACTION,
    REPORT_NOTE_BLOCK,
    REPORT_NOTE_MAX,
    REPORT_TYPE_ACTION,
    REPORT_TYPE_BLOCK,
    RETYPE_ACTION,
    STEP_ACTION_PREFIX,
    STEP_BLOCK_PREFIX,
    STEP_OFFER_BLOCK,
    STEP_OFFER_TICK_ACTION,
    TOOLS_BLOCK,
    UNDO_ACTION_PREFIX,
    WITHDRAW_ACTION,
    WITHDRAW_MODAL,
    WITHDRAW_REASON_ACTION,
    WITHDRAW_REASON_BLOCK,
)
from bot.slack.wording import escape_mrkdwn, say


def _say(macro: str, **values) -> str:
    return say("report.j2", macro, **values)


def step_value(incident_id: int, pos: int) -> str:
    return f"{incident_id}:{pos}"


def parse_step_value(value: str) -> tuple[int, int]:
    """(incident id, step pos) from a button value; ValueError when malformed."""
    incident, _, pos = (value or "").partition(":")
    return int(incident), int(pos)


def _step_block(incident_id: int, step: Step, buttons: bool = True) -> SectionBlock:
    if not buttons:
        return section(_say("step_line", s=step), block_id=f"{STEP_BLOCK_PREFIX}{step.pos}")
    button = ButtonElement(
        text=plain(_say("step_button", s=step)),
        action_id=f"{UNDO_ACTION_PREFIX if step.done else STEP_ACTION_PREFIX}{step.pos}",
        value=step_value(incident_id, step.pos),
        style=None if step.done else "primary",
    )
    return section(_say("step_line", s=step), block_id=f"{STEP_BLOCK_PREFIX}{step.pos}", accessory=button)


def reply_blocks(r: IncidentReply) -> list[Block]:
    """The thread reply: who is tagged, the do-not-rebut rule, the clauses verbatim, the checklist."""
    blocks: list[Block] = [section(_say("headline", r=r))]
    blocks += sections(_say("routing", r=r))
    if r.do_not_rebut or any(c.do_not_rebut for c in r.clauses):
        blocks += sections(_say("do_not_rebut", r=r))
    if r.unavailable:
        blocks.append(context_block(_say("unavailable", r=r)))
    if r.clauses:
        blocks.append(DividerBlock())
        blocks.append(context_block(_say("clauses_intro")))
        for c in r.clauses:
            blocks += sections(_say("clause_heading", c=c) + "\n" + escape_mrkdwn(c.text))
    blocks.append(DividerBlock())
    withdrawn = r.status == WITHDRAWN
    if not withdrawn:
        blocks.append(section(_say("steps_intro")))
    blocks += [_step_block(r.incident_id, s, buttons=not withdrawn) for s in r.steps]
    if r.is_open:
        blocks.append(controls_block(r))
    blocks += tools_blocks(r)
    blocks.append(context_block(_say("status", r=r)))
    return blocks


def controls_block(r: IncidentReply) -> ActionsBlock:
    """「担当する」/「担当を外れる」, 「種類を訂正」 (the other types) and 「取り下げ」 under an open incident."""
    value = str(r.incident_id)
    elements: list = [
        ButtonElement(text=plain(_say("release_button")), action_id=RELEASE_ACTION, value=value) if r.owner
        else ButtonElement(text=plain(_say("claim_button")), action_id=CLAIM_ACTION, value=value, style="primary"),
    ]
    others = [(tid, label) for tid, label in r.types if tid != r.type]
    if others:
        elements.append(StaticSelectElement(
            placeholder=plain(_say("retype_placeholder")), action_id=RETYPE_ACTION,
            options=[Option(value=f"{r.incident_id}:{tid}", text=plain(_say("retype_option", label=label)))
                     for tid, label in others[:100]]))
    elements.append(ButtonElement(text=plain(_say("withdraw_button")), action_id=WITHDRAW_ACTION, value=value))
    return ActionsBlock(block_id=INCIDENT_CONTROLS_BLOCK, elements=elements)


def parse_retype_value(value: str) -> tuple[int, str]:
    """(incident id, type id) from a 「種類を訂正」 option value; ValueError when malformed."""
    incident, _, type_id = (value or "").partition(":")
    if not type_id:
        raise ValueError(value)
    return int(incident), type_id


def withdraw_modal(incident_id: int, type_label: str) -> View:
    """The 取り下げ modal: the reason is required."""
    return View(
        type="modal", callback_id=WITHDRAW_MODAL, private_metadata=str(incident_id),
        title=plain(_say("withdraw_title")), submit=plain(_say("withdraw_submit")), close=plain(_say("withdraw_close")),
        blocks=[
            section(_say("withdraw_intro", incident_id=incident_id, label=type_label)),
            InputBlock(block_id=WITHDRAW_REASON_BLOCK, label=plain(_say("withdraw_reason_label")),
                       element=PlainTextInputElement(action_id=WITHDRAW_REASON_ACTION, multiline=True, max_length=500,
                                                     placeholder=plain(_say("withdraw_reason_placeholder")))),
        ],
    )


def close_confirm_blocks(incident_id: int, pos: int, open_steps: list[str]) -> tuple[list[Block], str]:
    """「未完了の手順があります：… このまま完了にしますか？」 with 完了にする / 戻る."""
    text = _say("close_confirm", steps=open_steps)
    value = step_value(incident_id, pos)
    return [
        section(text),
        ActionsBlock(block_id=CLOSE_CONFIRM_BLOCK, elements=[
            ButtonElement(text=plain(_say("close_confirm_button")), action_id=CLOSE_CONFIRM_ACTION, value=value,
                          style="danger"),
            ButtonElement(text=plain(_say("close_cancel_button")), action_id=CLOSE_CANCEL_ACTION, value=value),
        ]),
    ], text


def step_offer_blocks(incident_id: int, step: Step) -> tuple[list[Block], str]:
    """A mention in the thread that names a step: 「『…』を完了にしますか？」 with a button."""
    text = _say("step_offer", step=step, incident_id=incident_id)
    button = ButtonElement(text=plain(_say("step_offer_button")), action_id=STEP_OFFER_TICK_ACTION,
                           value=step_value(incident_id, step.pos), style="primary")
    return [section(text, block_id=STEP_OFFER_BLOCK, accessory=button)], text


def step_offer_done_blocks(step: Step) -> tuple[list[Block], str]:
    text = _say("step_offer_done", step=step)
    return [section(text, block_id=STEP_OFFER_BLOCK)], text


def note_text(note: str, values: dict) -> str:
    """A short note in the incident's thread (type corrected, withdrawn, claimed, a mention noted…)."""
    return _say(f"note_{note}", v=values)


IMPERSONATION = "impersonation"


def tools_blocks(r: IncidentReply) -> list[Block]:
    """For an impersonation: the takedown requests recorded; while open, 「削除依頼を記録」 and the drafts of
    the website notice and the press material (7(3)①②, shown to 総務課 only, in a modal)."""
    from bot.slack.blocks.takedown import list_blocks, record_button

    if r.type != IMPERSONATION:
        return []
    blocks = list_blocks(r.takedowns)
    if r.status != "open":
        return blocks
    buttons = [record_button(r.incident_id)]
    buttons += [ButtonElement(text=plain(say("notice.j2", "button", kind=kind)), action_id=action_id,
                              value=str(r.incident_id))
                for kind, action_id in NOTICE_ACTIONS.items()]
    return [*blocks, context_block(_say("tools_intro", r=r)), ActionsBlock(block_id=TOOLS_BLOCK, elements=buttons)]


def reply_text(r: IncidentReply) -> str:
    """Notification text of the reply (carries the mentions so the tagged people are notified)."""
    return _say("notification", r=r)


def updated_text(r: IncidentReply) -> str:
    return _say("updated_text", r=r)


def duplicate_blocks(incident: Incident, label: str, reporter: str, permalink: str = "") -> tuple[list[Block], str]:
    """The notice for a URL already being handled; ``permalink`` (if known) links to that incident's thread."""
    text = _say("duplicate", incident=incident, label=label, reporter=reporter,
                permalink=permalink if permalink.startswith("https://") and not set("<>|") & set(permalink) else "")
    return sections(text), _say("duplicate_text", incident=incident)


def report_modal(types: tuple[IncidentType, ...], preselected: str, link: str, urls: tuple[str, ...],
                 metadata: dict) -> View:
    """The shortcut's modal: the type (preselected from the message's words), an optional note and the
    message's link and URLs. ``metadata`` (where the message is; never its text) rides in private_metadata."""
    options = [Option(value=t.id, label=t.label) for t in types]
    initial = next((o for o in options if o.value == preselected), None)
    select = StaticSelectElement(action_id=REPORT_TYPE_ACTION, options=options, initial_option=initial,
                                 placeholder=plain(_say("modal_type_placeholder")))
    return View(
        type="modal",
        callback_id=REPORT_MODAL_ID,
        title=plain(_say("modal_title")),
        submit=plain(_say("modal_submit")),
        close=plain(_say("modal_close")),
        private_metadata=json.dumps(metadata, ensure_ascii=False),
        notify_on_close=True,  # キャンセル is acknowledged (and files nothing)
        blocks=[
            *sections(_say("modal_intro", link=link if _safe_link(link) else "", urls=urls)),
            InputBlock(block_id=REPORT_TYPE_BLOCK, label=plain(_say("modal_type_label")), element=select),
            InputBlock(
                block_id=REPORT_NOTE_BLOCK,
                label=plain(_say("modal_note_label")),
                optional=True,
                hint=plain(_say("modal_note_hint", limit=REPORT_NOTE_MAX)),
                element=PlainTextInputElement(action_id=REPORT_NOTE_ACTION, multiline=True, max_length=REPORT_NOTE_MAX,
                                              placeholder=plain(_say("modal_note_placeholder"))),
            ),
            *([context_block(_say("modal_footer", types=types))] if any(t.description for t in types) else []),
        ],
    )


def _safe_link(link: str) -> bool:
    return link.startswith("https://") and not set("<>| ") & set(link)


def report_modal_values(view: dict) -> tuple[str, str, dict]:
    """(type id, note, metadata) from a submitted report modal; missing parts are ""/{}."""
    values = (view.get("state") or {}).get("values") or {}
    selected = ((values.get(REPORT_TYPE_BLOCK) or {}).get(REPORT_TYPE_ACTION) or {}).get("selected_option") or {}
    note = ((values.get(REPORT_NOTE_BLOCK) or {}).get(REPORT_NOTE_ACTION) or {}).get("value") or ""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    return str(selected.get("value") or ""), str(note), metadata if isinstance(metadata, dict) else {}


def already_reported_modal(incident: Incident, link: str) -> View:
    """What the modal shows when the message was reported meanwhile (the submission files nothing)."""
    return View(type="modal", callback_id=REPORT_MODAL_ID + "_done", title=plain(_say("modal_title")),
                close=plain(_say("modal_close")),
                blocks=sections(_say("already_reported_link", incident=incident, link=link if _safe_link(link) else "")))
