"""Report → Incident → Step, Directory → Department, and the plain reply data the Slack layer renders.

Nothing here knows about Slack: user ids are plain strings (``U…``), mentions are lists of ids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

OPEN = "open"
CLOSED = "closed"
WITHDRAWN = "withdrawn"  # 取り下げ: the reporter (or head, 総務課) withdrew it, with a reason; not open
STATUS_LABELS = {OPEN: "対応中", CLOSED: "完了", WITHDRAWN: "取り下げ"}


@dataclass(frozen=True)
class IncidentType:
    """One kind of report, from knowledge/report_types.toml."""

    id: str  # impersonation | flaming | negative
    label: str
    clauses: tuple[str, ...]
    steps: tuple[str, ...]
    terms: tuple[str, ...]
    # the type a report of this kind is read as when it is about someone else's post, not the town's own
    # (flaming → negative: the town never apologises for a third party's thread); "" = no such rule
    if_others: str = ""
    description: str = ""  # one line telling staff when to choose this type (the report modal shows it)


@dataclass(frozen=True)
class Report:
    """A staff member's message classified as a report (not a question)."""

    type: str
    urls: tuple[str, ...] = ()  # normalized, in order of appearance
    matched: tuple[str, ...] = ()  # the words that decided the type (for explanations and tests)

    @property
    def url(self) -> str:
        return self.urls[0] if self.urls else ""


@dataclass(frozen=True)
class Department:
    name: str
    head: str
    members: tuple[str, ...] = ()

    def __contains__(self, user: str) -> bool:
        return user == self.head or user in self.members


@dataclass(frozen=True)
class GeneralAffairs(Department):
    """総務課: always tagged; its members may tick any incident and see all open ones."""

    @property
    def mentions(self) -> tuple[str, ...]:
        """Who to tag for 総務課: the head, or the members when no head is configured."""
        return (self.head,) if self.head else self.members


@dataclass(frozen=True)
class Directory:
    general_affairs: GeneralAffairs
    departments: tuple[Department, ...] = ()
    source: str = ""
    names: tuple[tuple[str, str], ...] = ()  # (user id, name) from the file's optional [names] table

    def name_of(self, user: str) -> str:
        """The name the directory gives the user (``[names]``), or ""."""
        return next((n for u, n in self.names if u == user), "")

    def department_of(self, user: str) -> Department | None:
        """The user's (first) department; see departments_of for 兼務."""
        found = self.departments_of(user)
        return found[0] if found else None

    def departments_of(self, user: str) -> tuple[Department, ...]:
        """Every department the user belongs to (兼務: more than one), in the file's order: where they are a
        member, else where they are the head. 総務課 staff belong to 総務課."""
        every = (*self.departments, self.general_affairs)
        member = tuple(d for d in every if user in d.members)
        return member or tuple(d for d in every if user == d.head)

    def is_general_affairs(self, user: str) -> bool:
        return user in self.general_affairs


@dataclass(frozen=True)
class Step:
    pos: int
    name: str
    done_by: str | None = None
    done_at: str | None = None

    @property
    def done(self) -> bool:
        return self.done_by is not None

    def to_dict(self) -> dict:
        return {"pos": self.pos, "name": self.name, "done": self.done, "done_by": self.done_by, "done_at": self.done_at}


@dataclass(frozen=True)
class Incident:
    id: int
    type: str
    status: str
    url: str
    reporter: str
    department: str  # "" when the reporter is in no department
    channel: str
    thread_ts: str
    created: str  # ISO 8601, UTC
    tagged: tuple[str, ...] = ()
    reply_ts: str = ""
    reply_channel: str = ""  # set when the reply went elsewhere than ``channel`` (direct message)
    steps: tuple[Step, ...] = ()
    owner: str = ""  # user id of who claimed it (「担当する」), "" when nobody owns it
    note: str = ""  # the reporter's note (the report modal's optional 補足), shown in the reply

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def to_dict(self) -> dict:
        """The export record (the CLI contract): steps are the done ones, with who and when."""
        return {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "url": self.url,
            "reporter": self.reporter,
            "department": self.department,
            "channel": self.channel,
            "thread_ts": self.thread_ts,
            "created": self.created,
            "steps": [{"name": s.name, "done_by": s.done_by, "done_at": s.done_at} for s in self.steps if s.done],
        }


@dataclass(frozen=True)
class LogEntry:
    """One line of an incident's 経過 (bot/incidents/history.py): who did what and when.

    at: ISO 8601 UTC · actor: user id ("" = the bot itself) · action: a history.* constant ·
    detail: what changed (e.g. {"from": "flaming", "to": "negative"}, {"step": "事実確認", "pos": 1}, {"reason": …})
    """

    at: str
    actor: str
    action: str
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"at": self.at, "actor": self.actor, "action": self.action, "detail": dict(self.detail)}


@dataclass(frozen=True)
class CitedClause:
    id: str
    title: str
    heading: str
    text: str  # verbatim from the active guideline
    do_not_rebut: bool = False
    parent_text: str = ""  # the enclosing numbered clause's text when it is not the section (e.g. 7(3) for 7(3)①)


@dataclass(frozen=True)
class IncidentReply:
    """Everything the thread reply shows, as data. The Slack layer only renders it."""

    incident_id: int
    type: str
    type_label: str
    status: str
    url: str
    reporter: str
    department: str  # "" = unknown
    department_known: bool
    mentions: tuple[str, ...]  # user ids to tag (<@U…>), department head first, then 総務課
    general_affairs: str  # the name of 総務課 as configured
    clauses: tuple[CitedClause, ...]
    steps: tuple[Step, ...]
    channel: str
    thread_ts: str
    directory_configured: bool = True
    # clauses of the report type that this pack's guideline does not have (or not yet confirmed: mapping.toml)
    unavailable: tuple[str, ...] = ()
    do_not_rebut: bool = False  # the pack asks to say "do not rebut" (also when its clause is unavailable)
    guideline_title: str = ""
    owner: str = ""  # who claimed it ("" = nobody)
    types: tuple[tuple[str, str], ...] = ()  # (id, label) of every report type, for 「種類を訂正」
    withdraw_reason: str = ""  # when withdrawn

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def open_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if not s.done)
    takedowns: tuple = ()  # bot.incidents.takedowns.Takedown: the takedown requests recorded (impersonation)
    note: str = ""  # the reporter's note

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["steps"] = [s.to_dict() for s in self.steps]
        d["status_label"] = self.status_label
        return d


@dataclass(frozen=True)
class Opened:
    """Result of submitting a report.

    created:   a new incident was opened (False: retry of a processed event, or a duplicate URL)
    duplicate: the URL belongs to an open incident opened by an earlier report; ``incident`` is that one
    retry:     the same event (or shortcut message) was already processed; nothing new was written
    grouped:   the reporter's burst (over the limit within a minute) was grouped into ``incident``
    outbox_id: the outbox message holding the reply for this submission (None on a retry)
    """

    incident: Incident
    created: bool
    duplicate: bool = False
    retry: bool = False
    grouped: bool = False
    outbox_id: int | None = None


@dataclass(frozen=True)
class TickResult:
    """Result of clicking a step. ``allowed`` False: ``message`` says why (polite Japanese)."""

    allowed: bool
    incident: Incident | None = None
    step: Step | None = None
    message: str = ""
    outbox_id: int | None = None


@dataclass
class OutboxMessage:
    id: int
    incident: int | None  # None for an Offer's messages (offer, offer_update): no incident yet
    kind: str  # reply | duplicate | update | grouped | alert | offer | offer_update
    channel: str
    thread_ts: str
    created: str
    attempts: int = 0
    last_error: str = ""
    sent_at: str | None = None
    message_ts: str = ""
    extra: dict = field(default_factory=dict)
