"""「取り下げ」 under an incident reply: opens the modal that asks for the reason (the submission is the change,
bot/slack/listeners/views/report_withdraw.py). Users who may not withdraw it get an ephemeral refusal."""

from __future__ import annotations

from bot.incidents import changes, directory, records
from bot.incidents import types as report_types
from bot.slack.blocks.report import withdraw_modal
from bot.slack.delivery import guarded
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user, tell_privately
from bot.wording import line


@guarded(notify=tell_interaction_user)
def open_withdraw_modal(body: dict, action: dict, client) -> None:
    who = interaction(body)
    try:
        incident = records.get(int(action.get("value") or ""))
    except ValueError:
        return
    if incident is None:
        message = line("report", "incident_not_found")
    elif not changes.may_change(incident, who.user, directory.current()):
        message = line("report", "change_refused")
    elif not incident.is_open:
        message = changes._not_open(incident).message
    else:
        labels = {t.id: t.label for t in report_types.load().types}
        client.views_open(trigger_id=body.get("trigger_id"),
                          view=withdraw_modal(incident.id, labels.get(incident.type, incident.type)))
        return
    tell_privately(client, who, message)
