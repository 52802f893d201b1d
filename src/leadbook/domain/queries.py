"""Finding leads: one filter shape for every face, served by indexed columns; every query
holds only the leads its actor may see (access.visible) and that are not merged into
another (``LIVE``): a merged lead named by a read is refused naming its survivor
(``LeadMerged``), which each face turns into its pointer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Numeric, Select, UnaryExpression, cast, func, inspect, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from leadbook import models as m
from leadbook.domain import access, due, scoring
from leadbook.domain.actor import Actor
from leadbook.domain.errors import LeadMerged
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.domain.workflow import activities, sla

LIVE = m.Lead.merged_into_id.is_(None)  # not merged into another lead

SORTS = {
    "number": m.Lead.number,
    "priority": m.Lead.priority,
    "importance": m.Lead.importance,
    "target_amount": m.Lead.target_amount,
    "expected_completion_date": m.Lead.expected_completion_date,
    "start_date": m.Lead.start_date,
    "updated_date": m.Lead.updated_date,
    "created_date": m.Lead.created_date,
    "score": m.Lead.score,
}


# everything a full lead shows. The rows nearly every lead points at are joined into the
# lead's own query: a few joins on primary keys, so a page is still cut by the lead index
# first (many more joins would cost the planner more than they save). For one lead the rest
# loads on first use, skipping empty references and rows already loaded.
JOINED = (
    joinedload(m.Lead.type, innerjoin=True),
    joinedload(m.Lead.status, innerjoin=True),
    joinedload(m.Lead.category),
    joinedload(m.Lead.contact),
)
# A page of leads: its sets in one small query each (IN the page's ids)...
SETS = (
    selectinload(m.Lead.competitors).joinedload(m.LeadCompetitor.competitor),
    selectinload(m.Lead.users).joinedload(m.LeadUser.user),
    selectinload(m.Lead.products),
)
# ...and every other row it shows, level by level (a lead's user, that user's unit, the
# unit's group), one query per table and level (the five user references of a whole page
# in one), attached to the rows pointing at them (see _attach).
_ATTACHED = (
    m.Lead.lost_reason,
    m.Lead.owned_by_group,
    m.Lead.privacy_level,
    m.Lead.subscription_package,
    m.Lead.accounts_receivable,
    m.Lead.source_contact,
    m.Lead.source_communication,
    m.Lead.source_notification,
    m.Lead.assigned_user,
    m.Lead.lead_owner,
    m.Lead.created_by_user,
    m.Lead.updated_by_user,
    m.Lead.source_user,
    m.Lead.assigned_unit,
    m.Lead.created_by_unit,
    m.Lead.updated_by_unit,
    m.LeadProduct.product,
    m.LeadProduct.product_type,
    m.LeadProduct.product_brand,
    m.LeadProduct.product_family,
    m.Product.product_type,
    m.AccountsReceivable.owner,
    m.Unit.group,
    m.Communication.contact,
    m.Notification.contact,
    m.Notification.accounts_receivable,
    m.Contact.country_of_residence,
    m.Contact.id_issued_by_country,
    m.Contact.passport_issued_by_country,
    m.Contact.registered_in_country,
)
CHUNK = 500


def _attach(db: Session, rows: list, relations) -> list:
    """Sets each many-to-one of ``relations`` on those of ``rows`` it belongs to, from one
    query per target table for the rows the session does not hold loaded yet (an account's
    owner is mostly the lead's own contact); returns the rows it set (the next level's)."""
    wanted: dict[type[Any], set] = {}
    links = []
    for relation in relations:
        prop = relation.property
        ((local, _remote),) = prop.local_remote_pairs
        key = prop.parent.get_property_by_column(local).key
        mine = [row for row in rows if isinstance(row, prop.parent.class_)]
        wanted.setdefault(prop.mapper.class_, set()).update(
            getattr(row, key) for row in mine if getattr(row, key) is not None
        )
        links.append((prop.key, key, prop.mapper.class_, mine))
    found: dict = {}
    for model, ids in wanted.items():
        missing = []
        for i in ids:
            row = db.identity_map.get(identity_key(model, i))
            if row is None or inspect(row).expired_attributes:  # a query refreshes it
                missing.append(i)
            else:
                found[model, i] = row
        missing.sort()
        for at in range(0, len(missing), CHUNK):
            chunk = missing[at : at + CHUNK]
            for row in db.scalars(select(model).where(model.id.in_(chunk))):
                found[model, row.id] = row
    for name, key, model, mine in links:
        for row in mine:
            set_committed_value(row, name, found.get((model, getattr(row, key))))
    return list(found.values())


@dataclass
class LeadFilter:
    """Conditions a lead must all meet; None means "any"."""

    states: tuple[str, ...] | None = None
    contact: m.Contact | None = None
    accounts_receivable: m.AccountsReceivable | None = None
    type: m.LeadType | None = None
    category: m.LeadCategory | None = None
    status: m.LeadStatus | None = None
    source_type: str | None = None
    source_name: str | None = None
    importance: str | None = None
    priority: int | None = None
    assigned_user: m.User | None = None
    overdue_at: datetime | None = None  # overdue at this time (due.is_overdue)
    due_between: tuple[datetime, datetime] | None = None  # expected completion in [a, b]
    text: str | None = None  # in description, topic, contact email or phone
    no_next_activity: bool = False  # no open activity
    next_activity_overdue_at: datetime | None = None  # next activity due before this time
    breached: sla.Check | None = None  # in breach of this rule (docs/workflow.md)...
    breach_kinds: tuple[sla.Breach, ...] = tuple(sla.Breach)  # ...of one of these kinds


def _where(stmt: Select, actor: Actor | access.Viewer, f: LeadFilter) -> Select:
    lead = m.Lead
    stmt = stmt.where(access.visible(actor), LIVE)
    if f.states is not None:
        stmt = stmt.where(lead.life_cycle_state.in_(f.states))
    for attr, value in (
        ("contact_id", f.contact),
        ("accounts_receivable_id", f.accounts_receivable),
        ("type_id", f.type),
        ("category_id", f.category),
        ("status_id", f.status),
        ("assigned_user_id", f.assigned_user),
    ):
        if value is not None:
            stmt = stmt.where(getattr(lead, attr) == value.id)
    if f.source_type is not None:
        stmt = stmt.where(lead.source_type == f.source_type)
    if f.source_name is not None:
        stmt = stmt.where(lead.source_name == f.source_name)
    if f.importance is not None:
        stmt = stmt.where(lead.importance == f.importance)
    if f.priority is not None:
        stmt = stmt.where(lead.priority == f.priority)
    if f.overdue_at is not None:
        stmt = stmt.where(due.overdue_condition(f.overdue_at))
    if f.due_between is not None:
        low, high = f.due_between
        stmt = stmt.where(lead.expected_completion_date.between(low, high))
    if f.no_next_activity:
        stmt = stmt.where(activities.none_open_condition())
    if f.next_activity_overdue_at is not None:
        stmt = stmt.where(activities.next_overdue_condition(f.next_activity_overdue_at))
    if f.breached is not None:
        stmt = stmt.where(f.breached.any_condition(f.breach_kinds))
    if f.text:
        like = f"%{f.text.strip()}%"
        stmt = stmt.where(
            or_(
                lead.description.ilike(like),
                lead.topic.ilike(like),
                lead.contact_email.ilike(like),
                lead.contact_phone.ilike(like),
            )
        )
    return stmt


def find(
    db: Session,
    actor: Actor,
    f: LeadFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
) -> list[m.Lead]:
    """Returns the leads ``actor`` sees meeting ``f``, ordered by ``sort`` then number, one
    page of them."""
    stmt = page(actor, f, offset=offset, limit=limit, sort=sort, descending=descending)
    rows = list(db.scalars(stmt.options(*JOINED, *SETS)).unique())
    level = [
        *rows,
        *(row.contact for row in rows if row.contact),
        *(p for r in rows for p in r.products),
    ]
    while level:
        level = _attach(db, level, _ATTACHED)
    return rows


def ordering(sort: str = "number", descending: bool = False, lead: Any = m.Lead) -> list:
    """Returns the order of a page: ``sort`` then number, over ``lead`` (the leads table or
    an alias of it)."""
    column = getattr(lead, SORTS[sort].key)
    order: list[UnaryExpression[Any]] = [column.desc() if descending else column.asc()]
    if sort != "number":
        order.append(lead.number.asc())
    return order


def page(
    actor: Actor | access.Viewer,
    f: LeadFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
) -> Select:
    """Returns the statement selecting the page of leads ``actor`` sees meeting ``f``."""
    stmt = _where(select(m.Lead), actor, f).order_by(*ordering(sort, descending)).offset(offset)
    return stmt if limit is None else stmt.limit(limit)


def exact(column):
    """``column`` as NUMERIC, so sums of it are exact and cannot overflow."""
    return cast(column, Numeric(asdecimal=False))


def count(db: Session, actor: Actor, f: LeadFilter) -> int:
    """Returns how many leads ``actor`` sees meeting ``f``."""
    return db.scalar(_where(select(func.count()).select_from(m.Lead), actor, f))


def by_number(db: Session, actor: Actor, number: int) -> m.Lead | None:
    """Returns lead ``number``, or None (also when ``actor`` may not see it)."""
    return one(db, actor, m.Lead.number == number)


def one(
    db: Session, actor: Actor, condition, *, lock: bool = False, field: str | None = None
) -> m.Lead | None:
    """Returns the lead meeting ``condition`` that ``actor`` sees, or None; ``lock`` holds
    its row until the transaction ends (``FOR UPDATE``; SQLite's write lock) and reads the
    scoring rules' generation in the same statement (``scoring.seen``). A merged
    lead is refused (``refuse_merged``, naming ``field``)."""
    stmt = seen(actor).where(condition).options(*JOINED)
    if lock:  # a write's read: the scoring rules' generation comes with it
        row = db.execute(
            stmt.add_columns(scoring.generation()).with_for_update(of=m.Lead)
        ).one_or_none()
        if row is not None:
            scoring.seen(db, row[1])
        found = row[0] if row is not None else None
    else:
        found = db.scalars(stmt).one_or_none()
    if found is None:
        refuse_merged(db, actor, condition, field)
    return found


@dataclass(frozen=True)
class Caller:
    """A caller named by a credential, as SQL for a write's locking read: who reads
    (``viewer``), whether the credential is live, and its row (``entity`` meeting
    ``where``, loaded with ``loads``)."""

    viewer: access.Viewer
    live: Any
    entity: Any
    where: Any
    loads: tuple[Any, ...]


def one_for(db: Session, caller: Caller, condition) -> tuple[m.Lead, Any] | None:
    """Returns the lead meeting ``condition`` that the live ``caller`` sees, locked
    (``FOR UPDATE``), and the caller's row, in one statement that also reads the scoring
    rules' generation (``scoring.seen``); None when either is missing (ask each why)."""
    stmt = (
        select(m.Lead, caller.entity, scoring.generation())
        .join(caller.entity, caller.where)  # the credential's one row
        .where(access.visible(caller.viewer), LIVE, caller.live, condition)
        .options(*JOINED, *caller.loads)
        .with_for_update(of=m.Lead)
    )
    found = db.execute(stmt).first()
    if found is None:
        return None
    scoring.seen(db, found[2])
    return found[0], found[1]


def refuse_merged(
    db: Session, actor: Actor | access.Viewer, condition, field: str | None = None
) -> None:
    """Raises LeadMerged when the lead meeting ``condition`` that ``actor`` sees was merged
    into another (the survivor at the end of the chain); a read that found no live lead
    calls it, so a found lead costs nothing more."""
    merged = select(m.Lead.number, m.Lead.merged_into_id).where(
        condition, access.visible(actor), ~LIVE
    )
    row = db.execute(merged).first()
    if row is None:
        return
    number, into = row
    while into is not None:
        survivor, into = db.execute(
            select(m.Lead.number, m.Lead.merged_into_id).where(m.Lead.id == into)
        ).one()
    raise LeadMerged(number, survivor, field=field)


def seen(actor: Actor | access.Viewer) -> Select:
    """Returns the statement selecting the live leads ``actor`` sees, to narrow further."""
    return select(m.Lead).where(access.visible(actor), LIVE)


def absorbed(db: Session, lead_id: str) -> list[str]:
    """Returns the ids of the leads merged into lead ``lead_id``, directly or through
    others (a lead merged into one merged later)."""
    found: list[str] = []
    level = [lead_id]
    while level:
        level = list(db.scalars(select(m.Lead.id).where(m.Lead.merged_into_id.in_(level))))
        found += level
    return found


def history(db: Session, lead: m.Lead) -> list[m.LeadEvent]:
    """Returns the events of ``lead`` and of the leads merged into it, oldest first."""
    ids = [lead.id, *absorbed(db, lead.id)]
    return list(
        db.scalars(select(m.LeadEvent).where(m.LeadEvent.lead_id.in_(ids)).order_by(m.LeadEvent.id))
    )


def funnel(
    db: Session, actor: Actor, lead_type: m.LeadType | None = None
) -> dict[str, dict[str, float]]:
    """Returns, per life cycle state, the number of leads ``actor`` sees and their summed
    target amount (summed as NUMERIC: exact, and no overflow however large the amounts)."""
    stmt = select(
        m.Lead.life_cycle_state,
        func.count(),
        func.coalesce(func.sum(exact(m.Lead.target_amount)), 0),
    ).group_by(m.Lead.life_cycle_state)
    stmt = _where(stmt, actor, LeadFilter(type=lead_type))
    return {state: {"count": n, "amount": float(total)} for state, n, total in db.execute(stmt)}


def weighted_pipeline(db: Session, actor: Actor, lead_type: m.LeadType | None = None) -> float:
    """Returns the open leads' target amounts ``actor`` sees, each weighted by its
    probability to win (in percent)."""
    weighted = func.sum(exact(m.Lead.target_amount) * exact(m.Lead.probability_to_win))
    stmt = select(func.coalesce(weighted, 0) / 100)
    stmt = _where(stmt.select_from(m.Lead), actor, LeadFilter(states=OPEN_STATES, type=lead_type))
    return float(db.scalar(stmt) or 0)
