"""Small pieces shared by listeners."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def ack_now(ack) -> None:
    """The acknowledgement: nothing to say, the work follows in a lazy listener."""
    ack()


@dataclass(frozen=True)
class Interaction:
    """Who acted and where, from an interaction payload (button click, shortcut, view submission).
    Missing parts are "" (or {}), never an exception: a broken payload is acknowledged and ignored."""

    user: str
    channel: str  # the conversation acted in: body.channel.id, else the container's channel_id
    response_url: str | None
    message: dict  # the message acted on (shortcuts and message buttons)


def interaction(body: dict) -> Interaction:
    user = (body.get("user") or {}).get("id") or ""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
    return Interaction(user=str(user), channel=str(channel), response_url=body.get("response_url"),
                       message=body.get("message") or {})


def block_action(body: dict, matches: Callable[[str], bool]) -> dict | None:
    """The first action of a block_actions payload when ``matches(action_id)``; None for anything else
    (another payload type, no actions, a malformed one)."""
    actions = body.get("actions") or []
    if body.get("type") != "block_actions" or not actions or not isinstance(actions[0], dict):
        return None
    action = actions[0]
    return action if matches(str(action.get("action_id") or "")) else None
