"""The change feed: the typed events integrators read (``/api/events``) and receive
(webhooks), derived from each recorded change in the transaction that makes it.

Types: ``lead.created``, ``lead.updated`` (every changed field with ``previous`` and
``current``), ``lead.state_changed`` (life cycle state or status, ``from`` → ``to``),
``lead.assigned`` (user or unit, ``from`` → ``to``), ``lead.deleted``, ``lead.merged`` and
``lead.unmerged`` (about the survivor, naming ``survivor`` and ``merged``), and the scheduler's
``lead.overdue`` and ``lead.close_to_completion``; the sales workflow's note, activity and
breach events (``WORKFLOW_TYPES``). One change may make several events (an
update that reassigns a lead is ``lead.updated``, then ``lead.assigned`` from the ``assign``
change the domain records beside it, as it does for an assignment rule's choice at creation).

Events are written when the transaction commits, with their positions (the cursor) from a
counter row locked until the commit ends, and with them the audit trail's events of the
transaction (``audit``) and a new lead's first stay (``stay``; a read of either table in the
transaction writes them first), in
one statement on PostgreSQL (the counter's move and the audit events' INSERT CTEs of the
feed events' INSERT; on SQLite, whose write lock is held anyway, the audit INSERT, the move,
then the feed INSERT): a transaction holding a position commits before the next position is handed
out, so a reader that sees position n sees every position below it, and a rolled-back
transaction gives its numbers back (no gaps). An id from a sequence would not
do: on PostgreSQL a transaction may take id 10, commit after the one that took 11, and a
reader at cursor 11 would never see 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, event, insert, select, union_all
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.session import SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from leadbook import models as m
from leadbook.domain import access, clock, numbering
from leadbook.domain.actor import Actor

# the sales workflow's (docs/workflow.md)
WORKFLOW_TYPES = (
    "note.created",
    "note.updated",
    "note.deleted",
    "activity.created",
    "activity.done",
    "lead.first_response_breached",
    "lead.rotting",
    "lead.breach_escalated",
)
TYPES = (
    "lead.created",
    "lead.updated",
    "lead.state_changed",
    "lead.assigned",
    "lead.deleted",
    "lead.merged",
    "lead.unmerged",
    "lead.overdue",
    "lead.close_to_completion",
    *WORKFLOW_TYPES,
)
STATE_FIELDS = ("life_cycle_state", "status_id")
# actions recorded on a survivor (domain/leadmerge.py) and their one event each
MERGES = {"merge_lead": "lead.merged", "unmerge_lead": "lead.unmerged"}
_STAGED = "feed_staged"
_AUDIT = "audit_staged"
_STAYS = "stays_staged"
COUNTER = "feed"


def types_of(action: str, changes: dict[str, Any]) -> list[str]:
    """Returns the event types a recorded ``action`` with ``changes`` makes."""
    if action == "create":
        return ["lead.created"]
    if action == "delete":
        return ["lead.deleted"]
    if action == "assign":
        return ["lead.assigned"]
    if action in MERGES:
        return [MERGES[action]]
    found = ["lead.updated"] if action == "update" and changes else []
    if any(key in changes for key in STATE_FIELDS):
        found.append("lead.state_changed")
    return found


def derive(
    db: Session,
    lead: m.Lead,
    actor: Actor,
    action: str,
    changes: dict[str, Any],
    left: str | None = None,
) -> list[dict[str, Any]]:
    """Adds the events of a recorded change (``changes``: field → [previous, current];
    ``left``: the name of the status it left, carried by the write)."""
    fields = {
        key: {"previous": pair[0], "current": pair[1]}
        for key, pair in changes.items()
        if key != "deleted"
    }
    made = []
    for kind in types_of(action, changes):
        data: dict[str, Any] = {"changes": fields}
        if kind == "lead.state_changed":
            data.update(_state_moves(db, lead, changes, left))
        elif kind == "lead.assigned":
            data.update(_assignment_moves(db, lead, changes))
        elif action in MERGES:
            merged = changes["merged_lead"]
            data.update(survivor=lead.number, merged=merged[0] or merged[1])
        made.append(publish(db, lead, actor, kind, data))
    return made


def publish(
    db: Session, lead: m.Lead, actor: Actor | None, kind: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Stages an event of type ``kind`` about ``lead`` (``actor`` None: the scheduler),
    written when the transaction commits; ``data`` joins the lead's number, type, state and
    status and who acted, and how."""
    who: dict[str, str | None] = {"username": None, "user_id": None, "face": "scheduler"}
    if actor is not None:
        who = {
            "username": actor.user.username,
            "user_id": actor.user.id,
            "face": actor.via,
            "unit": actor.unit.name if actor.unit is not None else None,
        }
    row = {
        "type": kind,
        "lead_id": lead.id,
        "lead_number": lead.number,
        "lead_type_id": lead.type_id,
        "occurred_at": clock.now(),
        "data": {"lead": _lead(lead), "actor": who, **data},
    }
    db.info.setdefault(_STAGED, []).append(row)
    return row


def audit(db: Session, lead_event: m.LeadEvent) -> None:
    """Stages the audit trail's ``lead_event``, written with the feed's events at commit."""
    db.info.setdefault(_AUDIT, []).append({c.key: getattr(lead_event, c.key) for c in _AUDITED})


def stay(db: Session, row: dict[str, Any]) -> None:
    """Stages a new lead's first stay (``row``: lead_stages' columns but its id and end),
    written with the feed's events at commit (PostgreSQL: a CTE of their statement)."""
    db.info.setdefault(_STAYS, []).append(row)


@event.listens_for(Session, "after_transaction_end")
def _drop(session: Session, transaction: SessionTransaction) -> None:
    """Drops what a transaction staged when it ends (written by then if it committed)."""
    if transaction.parent is None:
        for key in (_STAGED, _AUDIT, _STAYS):
            session.info.pop(key, None)


@event.listens_for(Session, "do_orm_execute")
def _staged_first(state: ORMExecuteState) -> None:
    """Writes the staged audit events and stays before a read or a change of their table
    in their transaction (a deleted lead's blanked by ``audience``), so it meets them."""
    touches = state.is_select or state.is_update or state.is_delete
    info = state.session.info
    staged = touches and (info.get(_AUDIT) or info.get(_STAYS))
    tables = find_tables(cast(ClauseElement, state.statement), include_crud=True) if staged else ()
    names = {getattr(table, "name", None) for table in tables}
    for key, table in ((_AUDIT, _AUDIT_TABLE), (_STAYS, _STAY_TABLE)):
        if table.name in names and info.get(key):
            state.session.execute(insert(table), info.pop(key))


def _lead(lead: m.Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "number": lead.number,
        "type": lead.type.name,
        "life_cycle_state": lead.life_cycle_state,
        "status": lead.status.name,
    }


def _state_moves(
    db: Session, lead: m.Lead, changes: dict[str, Any], left: str | None
) -> dict[str, Any]:
    state = changes.get("life_cycle_state", [lead.life_cycle_state, lead.life_cycle_state])
    status = changes.get("status_id", [lead.status_id, lead.status_id])
    names = [_name(db, m.LeadStatus, status_id) for status_id in status[1:]]
    moved = "status_id" in changes and left is not None
    names.insert(0, left if moved else _name(db, m.LeadStatus, status[0]))
    return {
        "from": {"life_cycle_state": state[0], "status": names[0]},
        "to": {"life_cycle_state": state[1], "status": names[1]},
    }


def _assignment_moves(db: Session, lead: m.Lead, changes: dict[str, Any]) -> dict[str, Any]:
    user = changes.get("assigned_user_id", [lead.assigned_user_id] * 2)
    unit = changes.get("assigned_unit_id", [lead.assigned_unit_id] * 2)
    return {
        side: {
            "user": _name(db, m.User, user[index], "username"),
            "unit": _name(db, m.Unit, unit[index]),
        }
        for index, side in enumerate(("from", "to"))
    }


def _name(db: Session, model: Any, key: str | None, attribute: str = "name") -> str | None:
    row = db.get(model, key) if key is not None else None
    return getattr(row, attribute) if row is not None else None


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    """Writes the events this transaction staged with their positions, last thing before
    it commits (the counter's lock is the last lock it takes: no deadlock with others)."""
    staged, audited = session.info.pop(_STAGED, []), session.info.pop(_AUDIT, [])
    stays = session.info.pop(_STAYS, [])
    if not staged and not audited and not stays:
        return
    session.flush()
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql" or not staged:
        if stays:
            session.execute(insert(_STAY_TABLE), stays)
        if audited:
            session.execute(insert(m.LeadEvent), audited)
        if staged:
            first = numbering.take(session, COUNTER, len(staged))
            rows = [{**row, "position": first + i} for i, row in enumerate(staged)]
            session.execute(insert(m.FeedEvent), rows)
        return
    params = {f"f{i}_{c.key}": row[c.key] for i, row in enumerate(staged) for c in _FED}
    params |= {f"a{i}_{c.key}": row[c.key] for i, row in enumerate(audited) for c in _AUDITED}
    params |= {f"s{i}_{c.key}": row[c.key] for i, row in enumerate(stays) for c in _STAYED}
    session.execute(_statement(len(staged), len(audited), len(stays)), params)


_SHAPES: dict[tuple[int, int, int], Any] = {}


def _inserted(table: Any, columns: Any, prefix: str, n: int, name: str) -> Any:
    """A CTE inserting ``n`` rows of ``columns`` into ``table`` from bound parameters
    ``<prefix><i>_<column>``."""
    rows = [
        select(*(bindparam(f"{prefix}{i}_{c.key}", type_=c.type) for c in columns))
        for i in range(n)
    ]
    chosen = rows[0] if n == 1 else union_all(*rows)
    return insert(table).from_select([c.key for c in columns], chosen).cte(name)


def _statement(staged: int, audited: int, stays: int) -> Any:
    """PostgreSQL's one statement writing ``staged`` feed events, ``audited`` audit events
    and ``stays`` first stays, their values bound parameters (``f<i>_<column>``, ``a<i>_…``,
    ``s<i>_…``): built once per shape, so SQLAlchemy compiles it once (multi-row VALUES are
    never cached)."""
    shape = (staged, audited, stays)
    if shape not in _SHAPES:
        moved = numbering.moving("postgresql", COUNTER, None, staged).cte("moved")
        rows = [
            select(
                moved.c.value - (staged - 1 - i),
                *(bindparam(f"f{i}_{c.key}", type_=c.type) for c in _FED),
            ).select_from(moved)
            for i in range(staged)
        ]
        written = insert(_FEED_TABLE).from_select(
            ["position", *(c.key for c in _FED)], rows[0] if staged == 1 else union_all(*rows)
        )
        if audited:  # the audit events: a CTE of the same statement
            written = written.add_cte(_inserted(_AUDIT_TABLE, _AUDITED, "a", audited, "audited"))
        if stays:  # the first stays: another
            written = written.add_cte(_inserted(_STAY_TABLE, _STAYED, "s", stays, "stayed"))
        if len(_SHAPES) < 64:  # a few shapes serve nearly every transaction
            _SHAPES[shape] = written
        return written
    return _SHAPES[shape]


# the tables written (Core: no ORM bulk path) and the columns of a staged row of each
_FEED_TABLE, _AUDIT_TABLE = cast(Table, m.FeedEvent.__table__), cast(Table, m.LeadEvent.__table__)
_STAY_TABLE = cast(Table, m.LeadStage.__table__)
_FED = tuple(c for c in _FEED_TABLE.columns if c.key not in {"id", "position"})
_AUDITED = tuple(c for c in _AUDIT_TABLE.columns if c.key != "id")
_STAYED = tuple(c for c in _STAY_TABLE.columns if c.key not in {"id", "left_at", "seconds"})


def envelope(feed_event: m.FeedEvent) -> dict[str, Any]:
    """Returns the event as integrators get it (the Standard Webhooks payload shape)."""
    return {
        "id": f"evt_{feed_event.position}",
        "cursor": feed_event.position,
        "type": feed_event.type,
        "timestamp": feed_event.occurred_at.isoformat() + "Z",
        "lead_number": feed_event.lead_number,
        "data": feed_event.data,
    }


def page(
    db: Session,
    actor: Actor,
    *,
    after: int,
    limit: int,
    types: Sequence[str] = (),
    lead_type: m.LeadType | None = None,
) -> list[m.FeedEvent]:
    """Returns the events after position ``after`` about leads ``actor`` may see, oldest
    first. A deleted lead's events are an administrator's only: the rule needs the lead."""
    query = (
        select(m.FeedEvent)
        .outerjoin(m.Lead, m.Lead.id == m.FeedEvent.lead_id)
        .where(m.FeedEvent.position > after, access.visible(actor))
        .order_by(m.FeedEvent.position)
        .limit(limit)
    )
    if types:
        query = query.where(m.FeedEvent.type.in_(types))
    if lead_type is not None:
        query = query.where(m.FeedEvent.lead_type_id == lead_type.id)
    return list(db.scalars(query))


def last_position(db: Session) -> int:
    """Returns the newest committed position (0 before the first event)."""
    return db.scalar(select(m.Counter.value).where(m.Counter.name == COUNTER)) or 0
