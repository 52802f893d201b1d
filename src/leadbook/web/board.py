"""What the pages show, read through the domain's queries: board columns, lead lists,
dashboard figures. The list's filters are the domain's LeadFilter, so the web page and
the API's leads/list stay one implementation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook.domain import queries
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.models import LIFE_CYCLE_STATES, Lead, LeadStatus, LeadType, LifeCycleState

CARDS_PER_COLUMN = 50
# the list's sort keys (short, for URLs) and the domain's sort each stands for
SORTABLE = {
    "number": "number",
    "priority": "priority",
    "amount": "target_amount",
    "expected": "expected_completion_date",
    "created": "created_date",
}


@dataclass(frozen=True)
class Filters:
    """The lead list's filters (those of leads/list the page offers), sort and page."""

    type_id: str = ""
    state: str = ""
    status_id: str = ""
    importance: str = ""
    text: str = ""
    sort: str = "number"
    descending: bool = False
    page: int = 1
    size: int = 20

    def lead_filter(self, db: Session) -> queries.LeadFilter:
        """Returns the domain filter these choices stand for (unknown choices match nothing
        rather than everything)."""
        lead_type = db.get(LeadType, self.type_id) if self.type_id else None
        status = db.get(LeadStatus, self.status_id) if self.status_id else None
        unknown = bool(self.type_id) and lead_type is None or bool(self.status_id) and not status
        return queries.LeadFilter(
            type=lead_type,
            status=status,
            states=() if unknown else (self.state,) if self.state else None,
            importance=self.importance or None,
            text=self.text or None,
        )


def lead_types(db: Session) -> list[LeadType]:
    """Returns every lead type, by name."""
    return list(db.scalars(select(LeadType).order_by(LeadType.name)))


@dataclass(frozen=True)
class Column:
    """One status of the board: its first cards (by priority, then number) and how many
    leads it holds in all."""

    status: LeadStatus
    leads: list[Lead]
    total: int


def columns(db: Session, lead_type: LeadType, per_column: int | None = None) -> list[Column]:
    """Returns the columns of ``lead_type``: a status each, in life cycle order, with at
    most ``per_column`` cards (CARDS_PER_COLUMN by default)."""
    per_column = per_column or CARDS_PER_COLUMN
    order: dict[str, int] = {state: i for i, state in enumerate(LIFE_CYCLE_STATES)}
    statuses = sorted(lead_type.statuses, key=lambda s: (order[s.life_cycle_state], s.name))
    result = []
    for status in statuses:
        where = queries.LeadFilter(type=lead_type, status=status)
        leads = queries.find(db, where, limit=per_column, sort="priority")
        total = len(leads) if len(leads) < per_column else queries.count(db, where)
        result.append(Column(status, leads, total))
    return result


def search(db: Session, f: Filters) -> tuple[list[Lead], int]:
    """Returns one page of leads matching ``f`` and how many match in all."""
    where = f.lead_filter(db)
    rows = queries.find(
        db,
        where,
        offset=(f.page - 1) * f.size,
        limit=f.size,
        sort=SORTABLE.get(f.sort, "number"),
        descending=f.descending,
    )
    return rows, queries.count(db, where)


@dataclass(frozen=True)
class Dashboard:
    """The funnel (leads and amount per state), win rate and weighted open pipeline."""

    funnel: list[tuple[str, int]]
    amounts: dict[str, float]
    win_rate: float | None
    weighted_pipeline: float
    open_amount: float


def dashboard(db: Session, lead_type: LeadType | None = None) -> Dashboard:
    """Returns the dashboard figures over every lead (or those of ``lead_type``)."""
    by_state = queries.funnel(db, lead_type)
    counts = {state: int(by_state.get(state, {}).get("count", 0)) for state in LIFE_CYCLE_STATES}
    amounts: dict[str, float] = {
        state: by_state.get(state, {}).get("amount", 0.0) for state in LIFE_CYCLE_STATES
    }
    closed = counts[LifeCycleState.WON] + counts[LifeCycleState.LOST]
    # the weighted value needs amount × probability per lead, which the funnel does not sum
    weighted = select(
        func.coalesce(
            func.sum(queries.exact(Lead.target_amount) * queries.exact(Lead.probability_to_win)), 0
        )
        / 100
    ).where(Lead.life_cycle_state.in_(OPEN_STATES))
    if lead_type is not None:
        weighted = weighted.where(Lead.type_id == lead_type.id)
    return Dashboard(
        funnel=[(state, counts[state]) for state in LIFE_CYCLE_STATES],
        amounts=amounts,
        win_rate=counts[LifeCycleState.WON] / closed if closed else None,
        weighted_pipeline=float(db.scalar(weighted) or 0),
        open_amount=sum(amounts[state] for state in OPEN_STATES),
    )
