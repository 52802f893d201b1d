"""What the pages show, read from the models: board columns, lead lists, dashboard figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook.models import LIFE_CYCLE_STATES, Lead, LeadEvent, LeadType, utcnow

OPEN_STATES = ("PENDING", "IN_PROGRESS")
SORTABLE = {
    "number": Lead.number,
    "priority": Lead.priority,
    "amount": Lead.target_amount,
    "expected": Lead.expected_completion_date,
    "created": Lead.created_date,
}


@dataclass(frozen=True)
class Filters:
    """The lead list's filters (those of leads/list the page offers), sort and page."""

    type_id: str = ""
    state: str = ""
    importance: str = ""
    text: str = ""
    sort: str = "number"
    descending: bool = False
    page: int = 1
    size: int = 20


def lead_types(db: Session) -> list[LeadType]:
    """Returns every lead type, by name."""
    return list(db.scalars(select(LeadType).order_by(LeadType.name)))


def is_overdue(lead: Lead, now: datetime | None = None) -> bool:
    """Returns whether an open lead is past its expected completion date."""
    due = lead.expected_completion_date
    return lead.life_cycle_state in OPEN_STATES and due is not None and due < (now or utcnow())


def columns(db: Session, lead_type: LeadType) -> list[tuple]:
    """Returns (status, leads) per status of ``lead_type``, in life cycle order."""
    leads = db.scalars(
        select(Lead).where(Lead.type_id == lead_type.id).order_by(Lead.priority, Lead.number)
    ).all()
    order = {state: i for i, state in enumerate(LIFE_CYCLE_STATES)}
    statuses = sorted(lead_type.statuses, key=lambda s: (order[s.life_cycle_state], s.name))
    return [(s, [lead for lead in leads if lead.status_id == s.id]) for s in statuses]


def search(db: Session, f: Filters) -> tuple[list[Lead], int]:
    """Returns one page of leads matching ``f`` and how many match in all."""
    query = select(Lead)
    if f.type_id:
        query = query.where(Lead.type_id == f.type_id)
    if f.state:
        query = query.where(Lead.life_cycle_state == f.state)
    if f.importance:
        query = query.where(Lead.importance == f.importance)
    if f.text:
        like = f"%{f.text.lower()}%"
        query = query.where(
            func.lower(func.coalesce(Lead.topic, "")).like(like)
            | func.lower(func.coalesce(Lead.description, "")).like(like)
            | func.lower(func.coalesce(Lead.contact_email, "")).like(like)
        )
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    column = SORTABLE.get(f.sort, Lead.number)
    query = query.order_by(column.desc() if f.descending else column.asc(), Lead.number)
    rows = db.scalars(query.offset((f.page - 1) * f.size).limit(f.size)).all()
    return list(rows), total or 0


def history(db: Session, lead: Lead) -> list[LeadEvent]:
    """Returns the lead's audit events, oldest first."""
    return list(
        db.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id))
    )


@dataclass(frozen=True)
class Dashboard:
    """The funnel (leads per state), win rate and weighted value of the open pipeline."""

    funnel: list[tuple[str, int]]
    win_rate: float | None
    weighted_pipeline: float
    open_amount: float


def dashboard(db: Session) -> Dashboard:
    """Returns the dashboard figures over every lead."""
    counts = dict(
        db.execute(
            select(Lead.life_cycle_state, func.count()).group_by(Lead.life_cycle_state)
        ).all()
    )
    funnel = [(state, counts.get(state, 0)) for state in LIFE_CYCLE_STATES]
    closed = counts.get("WON", 0) + counts.get("LOST", 0)
    open_rows = db.execute(
        select(Lead.target_amount, Lead.probability_to_win).where(
            Lead.life_cycle_state.in_(OPEN_STATES)
        )
    ).all()
    return Dashboard(
        funnel=funnel,
        win_rate=counts.get("WON", 0) / closed if closed else None,
        weighted_pipeline=sum((a or 0) * (p or 0) / 100 for a, p in open_rows),
        open_amount=sum(a or 0 for a, _ in open_rows),
    )
