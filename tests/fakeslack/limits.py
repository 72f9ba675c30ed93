"""Block Kit limits that real Slack enforces (it answers ``invalid_blocks`` / ``msg_too_long``), so a
test against the fake fails where Slack would refuse the message. Limits from Slack's Block Kit reference."""

from __future__ import annotations

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
TEXT_OBJECT = 3000  # any text object (section text, context element)
SECTION_FIELDS, FIELD_TEXT = 10, 2000
CONTEXT_ELEMENTS = 10
HEADER_TEXT = 150
BUTTON_TEXT, BUTTON_VALUE, ACTION_ID, BLOCK_ID = 75, 2000, 255, 255
ACTIONS_ELEMENTS = 25
VIEW_TITLE = 24  # title, submit and close
PRIVATE_METADATA = 3000
MESSAGE_TEXT = 40000


def _len(obj) -> int:
    return len((obj or {}).get("text", "")) if isinstance(obj, dict) else 0


def _element_errors(el: dict, where: str) -> list[str]:
    errs = []
    if len(el.get("action_id") or "") > ACTION_ID:
        errs.append(f"{where}: action_id over {ACTION_ID}")
    if el.get("type") == "button":
        if _len(el.get("text")) > BUTTON_TEXT:
            errs.append(f"{where}: button text over {BUTTON_TEXT}")
        if len(el.get("value") or "") > BUTTON_VALUE:
            errs.append(f"{where}: button value over {BUTTON_VALUE}")
    return errs


def block_errors(blocks, limit: int) -> list[str]:
    """What Slack would refuse in ``blocks`` (empty list: fine)."""
    if not isinstance(blocks, list):
        return []
    errs = [f"more than {limit} blocks ({len(blocks)})"] if len(blocks) > limit else []
    for i, b in enumerate(blocks):
        where, kind = f"blocks[{i}]", b.get("type")
        if len(b.get("block_id") or "") > BLOCK_ID:
            errs.append(f"{where}: block_id over {BLOCK_ID}")
        if kind == "section":
            if "text" in b and not 1 <= _len(b["text"]) <= TEXT_OBJECT:
                errs.append(f"{where}: section text must be 1-{TEXT_OBJECT} characters ({_len(b['text'])})")
            fields = b.get("fields") or []
            if len(fields) > SECTION_FIELDS or any(_len(f) > FIELD_TEXT for f in fields):
                errs.append(f"{where}: fields over the limits")
            if b.get("accessory"):
                errs += _element_errors(b["accessory"], where + ".accessory")
        elif kind == "context":
            elements = b.get("elements") or []
            if len(elements) > CONTEXT_ELEMENTS:
                errs.append(f"{where}: more than {CONTEXT_ELEMENTS} context elements")
            errs += [f"{where}: context text over {TEXT_OBJECT} ({_len(e)})" for e in elements if _len(e) > TEXT_OBJECT]
        elif kind == "header" and _len(b.get("text")) > HEADER_TEXT:
            errs.append(f"{where}: header over {HEADER_TEXT}")
        elif kind == "actions":
            elements = b.get("elements") or []
            if len(elements) > ACTIONS_ELEMENTS:
                errs.append(f"{where}: more than {ACTIONS_ELEMENTS} elements")
            for j, el in enumerate(elements):
                errs += _element_errors(el, f"{where}.elements[{j}]")
    return errs


def message_errors(params: dict) -> list[str]:
    errs = block_errors(params.get("blocks"), MESSAGE_BLOCKS)
    if len(params.get("text") or "") > MESSAGE_TEXT:
        errs.append(f"text over {MESSAGE_TEXT}")
    return errs


def view_errors(view) -> list[str]:
    if not isinstance(view, dict):
        return []
    errs = block_errors(view.get("blocks"), VIEW_BLOCKS)
    for key in ("title", "submit", "close"):
        if _len(view.get(key)) > VIEW_TITLE:
            errs.append(f"view {key} over {VIEW_TITLE}")
    if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
        errs.append(f"view private_metadata over {PRIVATE_METADATA}")
    return errs
