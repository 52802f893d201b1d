"""Finding leads: one filter shape for every face, served by indexed columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from leadbook import models as m

SORTS = {
    "number": m.Lead.number,
    "priority": m.Lead.priority,
    "importance": m.Lead.importance,
    "target_amount": m.Lead.target_amount,
    "expected_completion_date": m.Lead.expected_completion_date,
    "start_date": m.Lead.start_date,
    "updated_date": m.Lead.updated_date,
    "created_date": m.Lead.created_date,
}


# everything a full lead shows. The rows nearly every lead points at are joined into the
# lead's own query: a few joins on primary keys, so a page is still cut by the lead index
# first (many more joins would cost the planner more than they save).
_JOINED = (
    joinedload(m.Lead.type, innerjoin=True),
    joinedload(m.Lead.status, innerjoin=True),
    joinedload(m.Lead.category),
    joinedload(m.Lead.contact),
)
# One lead: the rest loads on first use, skipping empty references and rows already loaded.
ONE = _JOINED
# A page of leads: the rest in one small query per relation (IN the page's ids) instead of
# one per lead and relation.
_SELECTED = (
    "lost_reason",
    "assigned_user",
    "owned_by_group",
    "privacy_level",
    "lead_owner",
    "subscription_package",
    "created_by_user",
    "updated_by_user",
    "source_user",
)
WHOLE = (
    *_JOINED,
    *(selectinload(getattr(m.Lead, name)) for name in _SELECTED),
    selectinload(m.Lead.accounts_receivable).selectinload(m.AccountsReceivable.owner),
    selectinload(m.Lead.assigned_unit).selectinload(m.Unit.group),
    selectinload(m.Lead.created_by_unit).selectinload(m.Unit.group),
    selectinload(m.Lead.updated_by_unit).selectinload(m.Unit.group),
    selectinload(m.Lead.competitors).joinedload(m.LeadCompetitor.competitor),
    selectinload(m.Lead.users).joinedload(m.LeadUser.user),
    selectinload(m.Lead.products),
)


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
    overdue_at: datetime | None = None  # expected completion day before this day
    due_between: tuple[datetime, datetime] | None = None  # expected completion in [a, b]
    text: str | None = None  # in description, topic, contact email or phone


def _where(stmt: Select, f: LeadFilter) -> Select:
    lead = m.Lead
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
        day = f.overdue_at.replace(hour=0, minute=0, second=0, microsecond=0)
        stmt = stmt.where(lead.expected_completion_date < day)
    if f.due_between is not None:
        low, high = f.due_between
        stmt = stmt.where(lead.expected_completion_date.between(low, high))
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
    f: LeadFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
) -> list[m.Lead]:
    """Returns the leads meeting ``f``, ordered by ``sort`` then number, one page of them."""
    column = SORTS[sort]
    order = [column.desc() if descending else column.asc()]
    if sort != "number":
        order.append(m.Lead.number.asc())
    stmt = _where(select(m.Lead), f).order_by(*order).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.scalars(stmt.options(*WHOLE)).unique())


def count(db: Session, f: LeadFilter) -> int:
    """Returns how many leads meet ``f``."""
    return db.scalar(_where(select(func.count()).select_from(m.Lead), f))


def by_number(db: Session, number: int) -> m.Lead | None:
    """Returns lead ``number``, or None."""
    return db.scalars(select(m.Lead).where(m.Lead.number == number).options(*ONE)).one_or_none()


def history(db: Session, lead: m.Lead) -> list[m.LeadEvent]:
    """Returns the events of ``lead``, oldest first."""
    return list(
        db.scalars(
            select(m.LeadEvent).where(m.LeadEvent.lead_id == lead.id).order_by(m.LeadEvent.id)
        )
    )


def funnel(db: Session, lead_type: m.LeadType | None = None) -> dict[str, dict[str, float]]:
    """Returns, per life cycle state, the number of leads and their summed target amount."""
    stmt = select(
        m.Lead.life_cycle_state, func.count(), func.coalesce(func.sum(m.Lead.target_amount), 0)
    ).group_by(m.Lead.life_cycle_state)
    if lead_type is not None:
        stmt = stmt.where(m.Lead.type_id == lead_type.id)
    return {state: {"count": n, "amount": float(total)} for state, n, total in db.execute(stmt)}
