"""Submission of the report modal (message shortcut 「なりすまし・炎上を報告」). The submission is an Acceptor:
the incident (with the note) and its reply Delivery are stored before the ack, in one transaction; the
same message reported already files nothing and the modal says 「既に報告されています」 with a link. A bad
type or a note over the limit gets an error under its input. The lazy part delivers the reply."""

from __future__ import annotations

import logging

from bot import incidents
from bot.errors import UserError
from bot.incidents import records
from bot.incidents import types as report_types
from bot.incidents.model import Report
from bot.slack.blocks.report import already_reported_modal, report_modal_values
from bot.slack.delivery import guarded
from bot.slack.ids import REPORT_MODAL_ID, REPORT_NOTE_BLOCK, REPORT_NOTE_MAX, REPORT_TYPE_BLOCK
from bot.slack.listeners.events.report_mention import message_key
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import archives_url, deliver_now
from bot.slack.wording import say

log = logging.getLogger(__name__)


def wants_report_submission(body: dict) -> bool:
    return body.get("type") == "view_submission" and (body.get("view") or {}).get("callback_id") == REPORT_MODAL_ID


def _validate(body: dict) -> tuple[dict, Report | None, str, dict]:
    """(errors by block id, report, note, metadata) of a submitted report modal."""
    type_id, note, meta = report_modal_values(body.get("view") or {})
    errors = {}
    try:
        known = {t.id for t in report_types.load().types}
    except UserError:
        known = set()
    if type_id not in known:
        errors[REPORT_TYPE_BLOCK] = say("report.j2", "modal_bad_type")
    note = note.strip()
    if len(note) > REPORT_NOTE_MAX:
        errors[REPORT_NOTE_BLOCK] = say("report.j2", "modal_note_too_long", limit=REPORT_NOTE_MAX)
    if not (meta.get("channel") and meta.get("ts")):
        errors[REPORT_TYPE_BLOCK] = say("report.j2", "modal_lost")
    urls = tuple(u for u in meta.get("urls") or [] if isinstance(u, str))
    return errors, (None if errors else Report(type=type_id, urls=urls)), note, meta


def _submit(body: dict, db=None) -> dict:
    errors, report, note, meta = _validate(body)
    if errors:
        return {"report_modal_errors": errors}
    user = str((body.get("user") or {}).get("id") or "")
    channel, ts = str(meta["channel"]), str(meta["ts"])
    opened = incidents.submit(report, reporter=user, channel=channel, thread_ts=str(meta.get("thread_ts") or ts),
                              message_key=message_key(channel, ts), note=note, db=db)
    return {"report_incident": opened.incident.id, "report_outbox": opened.outbox_id, "report_retry": opened.retry}


def accept_report_submission(body: dict, db) -> dict:
    """Ack path: the modal's report → incident (with the note) + its reply Delivery, before the ack."""
    return _submit(body, db)


def ack_report_modal(ack, body: dict, context) -> None:
    if "report_modal_errors" in context:
        return ack(response_action="errors", errors=context["report_modal_errors"])
    if context.get("report_retry"):
        incident = records.get(context["report_incident"])
        if incident is not None:
            link = archives_url(body, incident.channel, incident.thread_ts)
            return ack(response_action="update", view=already_reported_modal(incident, link))
    ack()  # the modal closes; the reply appears in the message's thread


@guarded(notify=tell_interaction_user)
def file_report(body: dict, client, context=None) -> None:
    if context is None or "report_incident" not in context:
        if context is not None and "report_modal_errors" in context:
            return
        values = _submit(body)  # the ack path could not store it: store it now (idempotent by message key)
        if "report_incident" not in values:
            return
        context = values
    if not context.get("report_retry"):
        deliver_now(client, context.get("report_outbox"))
