"""The takedowns table (requests of an impersonation's takedown) and its reads; the flows that change it are
in bot/incidents/takedowns.py. Kept apart so that the reply (bot.incidents.service) can list requests without
importing the flows (which tick steps through the service)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import store
from bot.incidents import platforms

PENDING = "pending"  # 確認待ち: requested, not yet seen gone
REMOVED = "removed"  # 削除を確認した
RESULT_LABELS = {PENDING: "確認待ち", REMOVED: "削除を確認"}


@store.migration
def _tables(db) -> None:
    db["takedowns"].create(
        {
            "id": int,
            "incident": int,
            "platform": str,  # bot.incidents.platforms id
            "requested": str,  # YYYY-MM-DD (JST date)
            "reference": str,  # 受付番号 or the platform's reference, "" when none
            "recheck": str,  # YYYY-MM-DD
            "status": str,  # pending | removed
            "created": str,
            "created_by": str,
            "checked_at": str,
            "checked_by": str,
            "submission": str,  # Slack's view id of the form (a replayed submission records nothing new)
        },
        pk="id",
        foreign_keys=[("incident", "incidents", "id")],
        not_null={"incident", "platform", "requested", "recheck", "status", "created"},
        defaults={"reference": "", "created_by": "", "checked_by": ""},
        if_not_exists=True,
    )
    db["takedowns"].create_index(["incident"], if_not_exists=True)
    db["takedowns"].create_index(["status", "recheck"], if_not_exists=True)
    db["takedowns"].create_index(["submission"], unique=True, if_not_exists=True)


@dataclass(frozen=True)
class Takedown:
    id: int
    incident: int
    platform: str
    requested: str
    reference: str
    recheck: str
    status: str
    created: str
    created_by: str
    checked_at: str = ""
    checked_by: str = ""

    @property
    def platform_label(self) -> str:
        return platforms.label(self.platform)

    @property
    def result_label(self) -> str:
        return RESULT_LABELS.get(self.status, self.status)

    @property
    def pending(self) -> bool:
        return self.status == PENDING


def _row(r: dict) -> Takedown:
    return Takedown(r["id"], r["incident"], r["platform"], r["requested"], r["reference"] or "", r["recheck"],
                    r["status"], r["created"], r["created_by"] or "", r["checked_at"] or "", r["checked_by"] or "")


def get(takedown_id: int, db=None) -> Takedown | None:
    rows = list((db or store.db()).query("select * from takedowns where id = ?", [takedown_id]))
    return _row(rows[0]) if rows else None


def for_incident(incident_id: int, db=None) -> list[Takedown]:
    db = db or store.db()
    if "takedowns" not in db.table_names():
        return []
    return [_row(r) for r in db.query("select * from takedowns where incident = ? order by id", [incident_id])]
