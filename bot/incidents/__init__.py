"""Report → Incident: classify a staff report, route it with the directory, open/dedupe/tick/export,
and the outbox of Slack messages. No Slack types here; bot/slack renders the plain results."""

from bot.incidents import history  # registers the incident_log table
from bot.incidents.classify import classify
from bot.incidents.history import log_action
from bot.incidents.model import (
    CitedClause,
    Department,
    Directory,
    GeneralAffairs,
    Incident,
    IncidentReply,
    LogEntry,
    Opened,
    OutboxMessage,
    Report,
    Step,
    TickResult,
)
from bot.incidents.service import (
    deliver,
    flush,
    incidents,
    may_tick,
    next_step,
    open_incidents_for,
    reply_for,
    routing,
    submit,
    tick,
)

__all__ = [
    "CitedClause", "Department", "Directory", "GeneralAffairs", "Incident", "IncidentReply", "LogEntry", "Opened",
    "OutboxMessage", "Report", "Step", "TickResult", "classify", "deliver", "flush", "incidents", "may_tick",
    "next_step", "open_incidents_for", "reply_for", "routing", "submit", "tick", "log_action", "history",
]
