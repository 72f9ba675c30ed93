"""Delivering Report's outbox to Slack: the thread reply, the duplicate notice, chat.update after a click,
grouped-burst notes and alerts to 総務課. Messages are rendered from the incident's current state at send time.

Rules kept here (see also bot.delivery):
- Every post carries message metadata (event_type ``urausu_delivery``, payload ``delivery`` = its key). When
  an earlier attempt's outcome is unknown (timeout, 5xx, crash), the conversation is searched for that key
  (conversations.replies / conversations.history) before posting again: never two copies.
- A failed Delivery stays pending; the delivery worker (started by the app, run at start) retries it with
  backoff and jitter, honouring Retry-After. After ``alert_after`` failures 総務課 is told by direct message.
- A report whose thread cannot be used (not_in_channel, channel_not_found, is_archived…) goes by direct
  message to the reporter, the department head and 総務課; later updates go to every message actually posted.
  A report filed from a DM takes that path from the start. An Offer that cannot be posted in its thread goes
  to the reporter by DM (only they can answer it).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import config, incidents, store
from bot.delivery import Worker, delay, state
from bot.delivery.faults import crash_point
from bot.incidents import offers, records
from bot.incidents import types as report_types
from bot.incidents.model import OutboxMessage
from bot.slack.blocks import report as rb
from bot.slack.blocks.common import text_blocks, to_dicts
from bot.slack.blocks.offer import offer_blocks
from bot.slack.delivery import error_code
from bot.slack.ids import DELIVERY_UNCLEAR, DM_IMPOSSIBLE, THREAD_UNREACHABLE, UPDATE_GONE
from bot.slack.wording import say

log = logging.getLogger(__name__)


class SendError(Exception):
    """Delivery failed; the message stays in the outbox. str() is the Slack error code.
    ``definite``: Slack clearly did not post (else the outcome is unknown); ``retry_after`` from a 429."""

    def __init__(self, code: str, definite: bool = True, retry_after: float | None = None):
        super().__init__(code)
        self.code, self.definite, self.retry_after = code, definite, retry_after


class NotYet(Exception):
    """The Delivery must wait for another one (e.g. a note for a thread whose reply is not out yet)."""


def _retry_after(err: SlackApiError) -> float | None:
    try:
        headers = err.response.headers or {}
        for k, v in headers.items():
            if k.lower() == "retry-after":
                return float(v[0] if isinstance(v, list | tuple) else v)
    except Exception:  # noqa: BLE001
        return None
    return None


def classify_error(err: Exception) -> SendError:
    if isinstance(err, SendError):
        return err
    if isinstance(err, SlackApiError):
        status = getattr(err.response, "status_code", 200) or 200
        code = error_code(err)
        if status == 429:
            return SendError("ratelimited", True, _retry_after(err) or 1.0)
        if status >= 500 or code in DELIVERY_UNCLEAR:
            return SendError(code, False, _retry_after(err))
        return SendError(code, True)
    if isinstance(err, ConnectionRefusedError) or isinstance(getattr(err, "reason", None), ConnectionRefusedError):
        return SendError(type(err).__name__, True)
    return SendError(type(err).__name__, False)  # timeout, reset, …: Slack may have posted


def outbox_client(client: WebClient) -> WebClient:
    """The client Deliveries use: no automatic retries (a blind retry after a timeout could post twice);
    the delivery worker retries after looking the message up."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=config.delivery().timeout_s,
                     retry_handlers=[], logger=logging.getLogger("bot.slack.web"))


# --- posting with a delivery key ---------------------------------------------------------------------


def _metadata(key: str, recipient: str, kind: str = "") -> dict:
    payload = {"delivery": key, "to": recipient}
    if kind:
        payload["kind"] = kind  # which kind of Delivery (reply, offer, …): for people reading the conversation's data
    return {"event_type": state.EVENT_TYPE, "event_payload": payload}


def _matches(message: dict, key: str, recipient: str) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return meta.get("event_type") == state.EVENT_TYPE and payload.get("delivery") == key \
        and (payload.get("to") or "") == recipient


def _since(msg: OutboxMessage) -> float:
    try:
        return datetime.fromisoformat(msg.created).timestamp() - 60
    except ValueError:
        return time.time() - 86400


def find_posted(client: WebClient, channel: str, thread_ts: str, key: str, recipient: str, since: float) -> str | None:
    """ts of the message carrying ``key`` in the thread (or the conversation since ``since``), else None.
    Raises SendError when Slack cannot be asked now (the Delivery waits rather than risk a second copy)."""
    try:
        if thread_ts:
            resp = client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True, limit=200)
        else:
            resp = client.conversations_history(channel=channel, oldest=f"{since:.6f}", include_all_metadata=True, limit=200)
    except SlackApiError as err:
        failure = classify_error(err)
        if failure.definite and failure.code != "ratelimited":
            # e.g. missing_scope or a thread Slack cannot show: nothing can be found there, post.
            log.warning("look-up in %s impossible (%s); posting", channel, failure.code)
            return None
        raise failure from None
    except (SlackClientError, OSError) as err:
        raise classify_error(err) from None
    for message in resp.get("messages") or []:
        if _matches(message, key, recipient):
            return str(message.get("ts") or "")
    return None


def post_once(client: WebClient, msg: OutboxMessage, channel: str, thread_ts: str, blocks, text: str,
              recipient: str = "") -> tuple[str, str]:
    """Post one message of a Delivery exactly once; (channel, ts) Slack returned (or where it was found)."""
    done = state.posted(msg.id, recipient)
    if done is not None:
        return done
    key = state.key(msg.id)
    if state.outcome_unknown(msg.id):
        ts = find_posted(client, channel, thread_ts, key, recipient, _since(msg))
        if ts:
            log.info("outbox %s was already in Slack (%s); not posted again", msg.id, channel)
            state.record_post(msg.id, recipient, msg.incident, msg.kind, channel, ts)
            return channel, ts
    state.begin_attempt(msg.id)
    crash_point("deliver.before_post")
    try:
        resp = client.chat_postMessage(channel=channel, thread_ts=thread_ts or None, blocks=to_dicts(blocks), text=text,
                                       unfurl_links=False, unfurl_media=False, metadata=_metadata(key, recipient, msg.kind))
    except (SlackApiError, SlackClientError, OSError) as err:
        raise classify_error(err) from None
    crash_point("deliver.after_post")
    where, ts = str(resp.get("channel") or channel), str(resp.get("ts") or "")
    state.record_post(msg.id, recipient, msg.incident, msg.kind, where, ts)
    return where, ts


def _open_dm(client: WebClient, user: str) -> str:
    try:
        return str(client.conversations_open(users=user)["channel"]["id"])
    except (SlackApiError, SlackClientError, OSError) as err:
        raise classify_error(err) from None


def _direct(client: WebClient, msg: OutboxMessage, users, blocks, text: str) -> str:
    """Send a Delivery to each user by direct message (each at most once); ts of the first message.
    Users who can never get a direct message are skipped; SendError when nobody could be reached."""
    first, failures = "", []
    for user in dict.fromkeys(u for u in users if u):
        if state.posted(msg.id, user) is not None:
            first = first or state.posted(msg.id, user)[1]
            continue
        try:
            channel = _open_dm(client, user)
            _, ts = post_once(client, msg, channel, "", blocks, text, recipient=user)
            first = first or ts
        except SendError as err:
            if err.code in DM_IMPOSSIBLE:
                log.warning("outbox %s: no direct message to %s (%s)", msg.id, user, err.code)
                state.record_post(msg.id, user, msg.incident, msg.kind, "", "")  # never try this person again
                continue
            failures.append(err)
    if failures:
        raise failures[0]
    return first


# --- what each kind of Delivery says -------------------------------------------------------------------


def _recipients(incident) -> list[str]:
    return [incident.reporter, *incident.tagged]


def _remember_names(client: WebClient, message_id: int) -> None:
    """After a reply or an update was delivered: the display names of the people in the incident's record
    (users.info, at most once a day each), so that the command line's exports show names."""
    from bot.slack.people import incident_people, refresh

    try:
        msg = records.outbox_message(message_id)
        incident = records.get(msg.incident) if msg is not None and msg.kind in ("reply", "update") else None
        if incident is not None:
            refresh(client, incident_people(incident))
    except Exception as err:  # noqa: BLE001 - names are a courtesy; the Delivery is done
        log.warning("names for outbox %s not refreshed: %s", message_id, type(err).__name__)


def _labels() -> dict[str, str]:
    return {t.id: t.label for t in report_types.load().types}


def _send_offer(client: WebClient, msg: OutboxMessage) -> str:
    """The offer message (「報告として受け付けますか？」), or its update once decided — rendered from the offer's
    current state at send time."""
    offer = offers.get(int(msg.extra.get("offer") or 0))
    if offer is None:
        return ""
    blocks, text = offer_blocks(offer, _labels().get(offer.type, offer.type), offer.incident)
    if msg.kind == "offer":
        try:
            return post_once(client, msg, msg.channel, msg.thread_ts, blocks, text)[1]
        except SendError as err:
            if err.code not in THREAD_UNREACHABLE or not offer.reporter:
                raise
            log.warning("offer %s: thread unreachable (%s); offered by direct message", offer.id, err.code)
            return _direct(client, msg, [offer.reporter], blocks, text)
    targets = state.posts_of(offer.outbox) if offer.outbox else []
    if not targets and offer.outbox and state.outcome_unknown(offer.outbox):
        raise NotYet("offer_in_flight")  # posted, Slack's answer not back yet: update it once its ts is known
    for channel, ts in targets:
        try:
            client.chat_update(channel=channel, ts=ts, blocks=to_dicts(blocks), text=text)
        except (SlackApiError, SlackClientError, OSError) as err:
            failure = classify_error(err)
            if failure.code in UPDATE_GONE:
                log.warning("offer %s: message %s cannot be updated (%s)", offer.id, ts, failure.code)
                continue
            raise failure from None
    return targets[0][1] if targets else ""  # not posted yet: when it is, it shows the decision


def _send(client: WebClient, msg: OutboxMessage) -> str:
    if msg.kind in ("offer", "offer_update"):
        return _send_offer(client, msg)
    incident = records.get(msg.incident) if msg.incident is not None else None
    if incident is None:
        return ""  # deleted meanwhile: nothing to say
    if msg.kind == "reply":
        reply = incidents.reply_for(incident)
        blocks, text = rb.reply_blocks(reply), rb.reply_text(reply)
        if not msg.extra.get("direct"):
            try:
                _, ts = post_once(client, msg, msg.channel, msg.thread_ts, blocks, text)
                _settle_reply(client, incident.id, blocks)
                return ts
            except SendError as err:
                if err.code not in THREAD_UNREACHABLE:
                    raise
                log.warning("incident %s: thread unreachable (%s); sending by direct message", incident.id, err.code)
                records.mark_direct(msg.id)
        intro = say("delivery.j2", "dm_report_intro" if msg.extra.get("dm_report") else "direct_intro",
                    incident_id=incident.id)
        ts = _direct(client, msg, _recipients(incident), [*text_blocks(intro), *blocks], f"{intro}\n{text}")
        records.set_reply_channel(incident.id, "direct")
        _settle_reply(client, incident.id, blocks)
        return ts
    if msg.kind == "duplicate":
        labels = {t.id: t.label for t in report_types.load().types}
        reporter = msg.extra.get("reporter", "")
        blocks, text = rb.duplicate_blocks(incident, labels.get(incident.type, incident.type), reporter,
                                           _permalink(client, incident))
        try:
            return post_once(client, msg, msg.channel, msg.thread_ts, blocks, text)[1]
        except SendError as err:
            if err.code not in THREAD_UNREACHABLE or not reporter:
                raise
            return _direct(client, msg, [reporter], blocks, text)
    if msg.kind == "grouped":
        text = say("delivery.j2", "grouped", incident_id=incident.id, count=msg.extra.get("count", ""),
                   url=msg.extra.get("url", ""))
        targets = state.posts_for(incident.id, "reply")
        if not targets and incident.reply_ts:
            targets = [(incident.channel, incident.reply_ts)]
        if not targets:
            raise NotYet("reply_pending")  # the grouped incident's reply is not out yet: after it
        channel, ts = targets[0]
        thread = incident.thread_ts if channel == incident.channel else ts
        return post_once(client, msg, channel, thread, text_blocks(text),
                         say("delivery.j2", "grouped_text", incident_id=incident.id))[1]
    if msg.kind == "note":
        targets = state.posts_for(incident.id, "reply")
        if not targets and incident.reply_ts:
            targets = [(incident.channel, incident.reply_ts)]
        if not targets:
            raise NotYet("reply_pending")  # a note follows the reply
        channel, ts = targets[0]
        thread = msg.thread_ts or incident.thread_ts if channel == incident.channel else ts
        blocks, text = _note(incident, msg.extra)
        if blocks is None:
            return ""
        return post_once(client, msg, channel, thread, blocks, text)[1]
    if msg.kind == "remind":
        from bot.slack import reminders as slack_reminders

        blocks, text = slack_reminders.render(client, incident, msg.extra)
        if blocks is None:
            return ""
        channel = msg.extra.get("channel") or ""
        if channel:
            try:
                return post_once(client, msg, channel, "", blocks, text)[1]
            except SendError as err:
                if err.code not in THREAD_UNREACHABLE or not msg.extra.get("to"):
                    raise
                log.warning("reminder %s: channel %s unreachable (%s); by direct message", msg.id, channel, err.code)
        return _direct(client, msg, msg.extra.get("to") or [], blocks, text)
    if msg.kind == "update":
        targets = state.posts_for(incident.id, "reply")
        if not targets and incident.reply_ts:
            targets = [(incident.reply_channel if incident.reply_channel not in ("", "direct") else incident.channel,
                        incident.reply_ts)]
        if not targets:
            return ""  # the reply is not out yet: once posted it is checked against the state then (_settle_reply)
        _update_reply(client, incident, targets)
        return targets[0][1]
    if msg.kind == "alert":
        about = records.outbox_message(int(msg.extra.get("about") or 0))
        if about is not None and about.sent_at:
            return ""  # delivered meanwhile: nothing to alert about any more
        link = _permalink(client, incident)
        text = say("delivery.j2", "alert", incident_id=incident.id, link=link)
        return _direct(client, msg, _general_affairs(), text_blocks(text),
                       say("delivery.j2", "alert_text", incident_id=incident.id))
    log.warning("outbox %s has unknown kind %s; dropped", msg.id, msg.kind)
    return ""


def _update_reply(client: WebClient, incident, targets: list[tuple[str, str]], reply=None) -> None:
    """chat.update every posted copy of an incident's reply to its current state (``reply``, when the caller
    already built it; copies Slack no longer has are skipped)."""
    reply = incidents.reply_for(incident) if reply is None else reply
    blocks, text = to_dicts(rb.reply_blocks(reply)), rb.updated_text(reply)
    for channel, ts in targets:
        try:
            client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
            crash_point("deliver.after_post")
        except (SlackApiError, SlackClientError, OSError) as err:
            failure = classify_error(err)
            if failure.code in UPDATE_GONE:
                log.warning("incident %s: message %s in %s cannot be updated (%s)", incident.id, ts, channel, failure.code)
                continue
            raise failure from None


def _settle_reply(client: WebClient, incident_id: int, posted_blocks) -> None:
    """After a reply is posted (and its ts recorded): if the incident changed while Slack was answering (a
    click on the visible reply), bring every copy up to date now. A click whose update ran before the ts was
    recorded found nothing to edit; since the ts is recorded first, one of the two always sees the other."""
    incident = records.get(incident_id)
    if incident is None:
        return
    reply = incidents.reply_for(incident)
    if to_dicts(rb.reply_blocks(reply)) != to_dicts(posted_blocks):
        _update_reply(client, incident, state.posts_for(incident_id, "reply"), reply)


def _note(incident, extra: dict):
    """(blocks, text) of a note in the incident's thread, rendered now; (None, "") when it has nothing to say
    any more (an offered step was ticked meanwhile)."""
    note, values = extra.get("note", ""), extra.get("values") or {}
    if note == "offer":  # the step offer (the stored note name)
        step = next((s for s in incident.steps if s.pos == values.get("pos")), None)
        if step is None or step.done or not incident.is_open:
            return None, ""
        return rb.step_offer_blocks(incident.id, step)
    text = rb.note_text(note, {"incident_id": incident.id, **values})
    return text_blocks(text), text
def _permalink(client: WebClient, incident) -> str:
    """Link to the incident's thread (the report message), or "" when Slack cannot give one."""
    if not (incident.channel and incident.thread_ts):
        return ""
    try:
        return str(client.chat_getPermalink(channel=incident.channel, message_ts=incident.thread_ts).get("permalink") or "")
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("incident %s: no permalink (%s)", incident.id, classify_error(err).code)
        return ""


def archives_url(body: dict | None, channel: str, ts: str, thread_ts: str = "") -> str:
    """Slack's link form for a message (https://<domain>.slack.com/archives/<channel>/p<ts>), from the
    workspace domain in a request ``body`` (team.domain); "" when it is not known."""
    domain = str(((body or {}).get("team") or {}).get("domain") or "")
    if not (domain and domain.replace("-", "").isalnum() and channel.isalnum() and ts.replace(".", "").isdigit()):
        return ""
    link = f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts and thread_ts.replace(".", "").isdigit():
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


def thread_link(client: WebClient, incident, body: dict | None = None) -> str:
    """Link to an incident's thread: chat.getPermalink, else the archives URL built from the workspace's
    domain in the request (``body``'s team.domain), else ""."""
    link = _permalink(client, incident)
    if link or not (incident.channel and incident.thread_ts):
        return link
    return archives_url(body, incident.channel, incident.thread_ts)


def _general_affairs() -> list[str]:
    from bot.incidents import directory

    try:
        d = directory.current()
    except Exception as err:  # noqa: BLE001 - a broken directory must not stop deliveries
        log.warning("directory unusable for an alert: %s", type(err).__name__)
        return []
    if d is None:
        return []
    return list(d.general_affairs.mentions or d.general_affairs.members)


# --- sending, retrying, alerting ------------------------------------------------------------------------


def sender(client: WebClient):
    settings = config.delivery()

    def send(msg: OutboxMessage) -> str:
        try:
            return _send(client, msg)
        except NotYet:
            state.defer(msg.id, settings.backoff_s)
            raise
        except Exception as err:  # noqa: BLE001 - recorded below, the Delivery stays pending
            failure = classify_error(err) if isinstance(err, SlackApiError | SlackClientError | OSError | SendError) \
                else SendError(type(err).__name__, True)
            count = state.failures(msg.id) + 1
            state.failed(msg.id, failure.code, failure.definite, delay(count, settings, failure.retry_after))
            raise failure from None

    return send


def _maybe_alert(message_id: int, settings) -> None:
    """After repeated failures of a Delivery, queue one direct message to 総務課 about its incident."""
    msg = records.outbox_message(message_id)
    if msg is None or msg.sent_at or msg.kind == "alert" or msg.incident is None \
            or state.failures(message_id) < settings.alert_after:
        return
    if not state.mark_alerted(message_id):
        return
    log.warning("outbox %s failed %d times (%s); telling 総務課", message_id, state.failures(message_id),
                state.last_code(message_id))
    with store.transaction() as db:
        records.enqueue(msg.incident, "alert", "", "", db, {"about": message_id})


def deliver_one(client: WebClient, message_id: int, at_start: bool = False) -> bool:
    settings = config.delivery()
    sent = incidents.deliver(message_id, sender(client), at_start=at_start)
    if not sent:
        _maybe_alert(message_id, settings)
    else:
        _remember_names(client, message_id)
    return sent


def run_pass(client: WebClient, at_start: bool = False, stop: threading.Event | None = None) -> float | None:
    """Deliver every Delivery that is due; seconds until the next one is due (None: nothing pending)."""
    ready, _ = state.due()
    for message_id in ready:
        if stop is not None and stop.is_set():
            break
        deliver_one(client, message_id, at_start=at_start)
    _, next_due = state.due()
    return next_due


_workers: dict[int, Worker] = {}
_workers_lock = threading.Lock()


def start_worker(app) -> Worker:
    """Start the delivery worker of an app (a start hook): it delivers what is pending at once, then what
    becomes due. It keeps the database the app started with."""
    client = outbox_client(app.client)
    path = str(store.db().conn.execute("pragma database_list").fetchone()[2] or config.db_path())
    worker = Worker(lambda at_start, stop: run_pass(client, at_start, stop), poll_s=config.delivery().poll_s,
                    bind=lambda: store.bind(path))
    with _workers_lock:
        _workers[id(app)] = worker
    app._delivery_worker = worker
    return worker.start()


def worker_of(app) -> Worker | None:
    return getattr(app, "_delivery_worker", None)


def stop_worker(app, timeout: float = 10.0) -> bool:
    worker = worker_of(app)
    with _workers_lock:
        _workers.pop(id(app), None)
    return worker.stop(timeout) if worker else True


def wake_all() -> None:
    with _workers_lock:
        for worker in _workers.values():
            worker.wake()


def deliver_now(client: WebClient, message_id: int | None) -> bool:
    """Send one message right away (after a report or a click); the worker retries what fails."""
    if message_id is None:
        wake_all()
        return False
    sent = deliver_one(outbox_client(client), message_id)
    wake_all()
    return sent


def deliver_pending_for(client: WebClient, incident_id: int) -> bool:
    """Send what is pending for one incident now (a report accepted on the ack path)."""
    sent = False
    for msg in records.pending():
        if msg.incident == incident_id:
            sent = deliver_one(outbox_client(client), msg.id) or sent
    wake_all()
    return sent


def flush_at_start(client: WebClient) -> tuple[int, int]:
    """Deliver every pending message once (taking over claims of an earlier run); (sent, still pending)."""
    c = outbox_client(client)
    sent = sum(1 for msg in records.pending() if deliver_one(c, msg.id, at_start=True))
    left = len(records.pending())
    if sent or left:
        log.info("outbox at start: %d sent, %d still pending", sent, left)
    return sent, left
