"""Request bodies in Slack's real formats (Events API callbacks, slash command forms, interactivity
payloads). Defaults describe one workspace: team T0TEAM, app A0APP, bot U0BOT, staff U0STAFF."""

from __future__ import annotations

import itertools
import time
import uuid

from tests.fakeslack.api import APP_ID, BOT_USER_ID, TEAM_ID

STAFF = "U0STAFF"
CHANNEL = "C0GENERAL"
DM = "D0STAFFDM"
_seq = itertools.count(1)


def ts() -> str:
    """A unique Slack message timestamp."""
    return f"{int(time.time())}.{next(_seq):06d}"


def event_id() -> str:
    return f"Ev{uuid.uuid4().hex[:10].upper()}"


def event_callback(event: dict, event_id_: str | None = None) -> dict:
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id_ or event_id(),
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }


def _rich(text: str) -> list[dict]:
    return [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5],
             "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]


def message_im(text: str, user: str = STAFF, channel: str = DM, thread_ts: str | None = None, **extra) -> dict:
    """A `message.im` event callback (a DM to the bot)."""
    t = ts()
    event = {"client_msg_id": str(uuid.uuid4()), "type": "message", "text": text, "user": user, "ts": t,
             "team": TEAM_ID, "blocks": _rich(text), "channel": channel, "event_ts": t, "channel_type": "im"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return event_callback(event)


def app_mention(text: str, user: str = STAFF, channel: str = CHANNEL, thread_ts: str | None = None) -> dict:
    """An `app_mention` event callback; ``text`` should contain ``<@U0BOT>`` like Slack sends it."""
    t = ts()
    event = {"client_msg_id": str(uuid.uuid4()), "type": "app_mention", "text": text, "user": user, "ts": t,
             "team": TEAM_ID, "blocks": _rich(text), "channel": channel, "event_ts": t}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event)


def app_home_opened(user: str = STAFF, tab: str = "home") -> dict:
    return event_callback({"type": "app_home_opened", "user": user, "channel": DM, "tab": tab,
                           "event_ts": ts()})


def slash_command(command: str, text: str, response_url: str, user: str = STAFF, channel: str = CHANNEL) -> dict:
    """A slash command as Slack posts it (form fields; send form-encoded over HTTP)."""
    return {
        "token": "verification-token-unused", "team_id": TEAM_ID, "team_domain": "urausu-town",
        "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": user.lower(),
        "command": command, "text": text, "api_app_id": APP_ID, "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
    }


def _user(user: str) -> dict:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID}


def block_actions(action_id: str, value: str, message: dict, response_url: str, user: str = STAFF,
                  channel: str = CHANNEL, is_ephemeral: bool = False, block_id: str = "feedback") -> dict:
    """A button click on ``message`` (a dict with at least ts and blocks)."""
    container = {"type": "message", "message_ts": message.get("ts", ""), "channel_id": channel,
                 "is_ephemeral": is_ephemeral}
    payload = {
        "type": "block_actions", "user": _user(user), "api_app_id": APP_ID, "token": "verification-token-unused",
        "container": container, "trigger_id": f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        "team": {"id": TEAM_ID, "domain": "urausu-town"}, "enterprise": None, "is_enterprise_install": False,
        "channel": {"id": channel, "name": "general"}, "state": {"values": {}}, "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": block_id, "value": value, "type": "button",
                     "text": {"type": "plain_text", "text": "button", "emoji": True}, "action_ts": ts()}],
    }
    if not is_ephemeral:
        payload["message"] = {"type": "message", "user": BOT_USER_ID, "ts": message.get("ts", ""),
                              "text": message.get("text", ""), "blocks": message.get("blocks", [])}
    return payload


def message_shortcut(callback_id: str, text: str, response_url: str, user: str = STAFF, author: str = STAFF,
                     channel: str = CHANNEL) -> dict:
    """A message shortcut (type message_action) on a message with ``text``."""
    t = ts()
    return {
        "type": "message_action", "token": "verification-token-unused", "action_ts": ts(),
        "team": {"id": TEAM_ID, "domain": "urausu-town"}, "user": {"id": user, "name": user.lower()},
        "channel": {"id": channel, "name": "general"}, "is_enterprise_install": False, "enterprise": None,
        "callback_id": callback_id, "trigger_id": f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        "response_url": response_url, "message_ts": t,
        "message": {"client_msg_id": str(uuid.uuid4()), "type": "message", "text": text, "user": author,
                    "ts": t, "team": TEAM_ID, "blocks": _rich(text)},
    }


def view_submission(view: dict, values: dict, user: str = STAFF, view_id: str = "V0MODAL") -> dict:
    """Submission of a modal built from ``view`` (the dict the app sent to views.open) with state
    ``values`` in Slack's shape: {block_id: {action_id: {"type": ..., "value"/"selected_option": ...}}}."""
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "urausu-town"}, "user": _user(user),
        "api_app_id": APP_ID, "token": "verification-token-unused", "trigger_id": f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        "view": {**view, "id": view_id, "team_id": TEAM_ID, "state": {"values": values}, "hash": "1.fakehash",
                 "private_metadata": view.get("private_metadata", ""), "root_view_id": view_id,
                 "previous_view_id": None, "app_id": APP_ID, "bot_id": "B0BOT"},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }


def view_block_actions(view: dict, action_id: str, value: str | None = None, user: str = STAFF,
                       view_id: str = "V0MODAL", block_id: str = "") -> dict:
    """A button click inside a modal built from ``view`` (the dict the app sent to views.open/update):
    container type "view", the whole view with its private_metadata, no response_url."""
    action = {"action_id": action_id, "block_id": block_id, "type": "button",
              "text": {"type": "plain_text", "text": "button", "emoji": True}, "action_ts": ts()}
    if value is not None:
        action["value"] = value
    return {
        "type": "block_actions", "user": _user(user), "api_app_id": APP_ID, "token": "verification-token-unused",
        "container": {"type": "view", "view_id": view_id}, "trigger_id": f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        "team": {"id": TEAM_ID, "domain": "urausu-town"}, "enterprise": None, "is_enterprise_install": False,
        "view": {**view, "id": view_id, "team_id": TEAM_ID, "state": {"values": {}}, "hash": "1.fakehash",
                 "private_metadata": view.get("private_metadata", ""), "root_view_id": view_id,
                 "previous_view_id": None, "app_id": APP_ID, "bot_id": "B0BOT"},
        "actions": [action],
    }
