"""What the pages show, read through the domain's queries: board columns (with their
totals), lead lists, dashboard figures. The filters (web/filters.py) are the domain's
LeadFilter, so the board, the web list and the API's leads/list stay one implementation."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.domain import capped, queries
from leadbook.domain.actor import Actor
from leadbook.domain.totals import Totals, by_status
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.models import LIFE_CYCLE_STATES, Lead, LeadStatus, LeadType, LifeCycleState
from leadbook.web.filters import Filters

CARDS_PER_COLUMN = 50
SORTABLE = queries.LIST_SORTS  # the list's sort keys (short, for URLs)


def lead_types(db: Session) -> list[LeadType]:
    """Returns every lead type, by name."""
    return list(db.scalars(select(LeadType).order_by(LeadType.name)))


def statuses_of(lead_type: LeadType | None) -> list[LeadStatus]:
    """Returns the statuses of ``lead_type`` in life cycle order, then by name (none without
    a type)."""
    if lead_type is None:
        return []
    order: dict[str, int] = {state: i for i, state in enumerate(LIFE_CYCLE_STATES)}
    return sorted(lead_type.statuses, key=lambda s: (order[s.life_cycle_state], s.name))


def chosen_type(types: list[LeadType], type_id: str) -> LeadType | None:
    """Returns the type of ``types`` whose id is ``type_id``, else the first (the one a
    select shows chosen when none is)."""
    return next((t for t in types if t.id == type_id), types[0] if types else None)


@dataclass(frozen=True)
class Column:
    """One status of the board: its first cards (by priority, then number; none while a
    closed column is folded), its totals over all its leads, and whether it is folded."""

    status: LeadStatus
    leads: list[Lead]
    totals: Totals
    folded: bool = False

    @property
    def total(self) -> int:
        """How many leads the column holds in all (at least: ``totals.more``)."""
        return self.totals.count


def columns(
    db: Session,
    actor: Actor,
    lead_type: LeadType,
    f: Filters | None = None,
    unfolded: Collection[str] = (),
    per_column: int | None = None,
    only: LeadStatus | None = None,
) -> list[Column]:
    """Returns the columns of ``lead_type`` as ``actor`` sees them through ``f``: a status
    each, in life cycle order, with at most ``per_column`` cards (CARDS_PER_COLUMN by
    default); the closed statuses folded (no cards) unless their id is in ``unfolded``.
    With ``only``, that status's column alone (the others' cards not read)."""
    per_column = per_column or CARDS_PER_COLUMN
    where = dataclasses.replace((f or Filters()).lead_filter(db, actor), type=lead_type)
    statuses = statuses_of(lead_type)
    if only is not None:
        statuses = [only]
    totals = by_status(db, actor, where, statuses)
    result = []
    for status in statuses:
        column = totals.get(status.id, Totals())
        folded = status.life_cycle_state not in OPEN_STATES and status.id not in unfolded
        leads = []
        if column.count and not folded:
            here = dataclasses.replace(where, status=status)
            leads = capped.firsts(db, actor, here, per_column)
        result.append(Column(status, leads, column, folded))
    return result


def search(db: Session, actor: Actor, f: Filters) -> tuple[list[Lead], int, bool]:
    """Returns one page of the leads ``actor`` sees matching ``f``, how many match in all
    and whether more do: counted one by one (not from the summary), the count stops at
    ``queries.COUNTED`` or at the end of the page, whichever is later
    (``queries.count_up_to``)."""
    where = f.lead_filter(db, actor)
    rows = queries.shown(
        db,
        actor,
        where,
        offset=(f.page - 1) * f.size,
        limit=f.size,
        sort=SORTABLE.get(f.sort, "number"),
        descending=f.descending,
    )
    total, more = queries.count_up_to(db, actor, where, max(queries.COUNTED, f.page * f.size))
    return rows, total, more


@dataclass(frozen=True)
class Dashboard:
    """The funnel (leads and amount per state), win rate and weighted open pipeline."""

    funnel: list[tuple[str, int]]
    amounts: dict[str, float]
    win_rate: float | None
    weighted_pipeline: float
    open_amount: float


def dashboard(db: Session, actor: Actor, lead_type: LeadType | None = None) -> Dashboard:
    """Returns the dashboard figures over the leads ``actor`` sees (or those of ``lead_type``)."""
    by_state = queries.funnel(db, actor, lead_type)
    counts = {state: int(by_state.get(state, {}).get("count", 0)) for state in LIFE_CYCLE_STATES}
    amounts: dict[str, float] = {
        state: by_state.get(state, {}).get("amount", 0.0) for state in LIFE_CYCLE_STATES
    }
    closed = counts[LifeCycleState.WON] + counts[LifeCycleState.LOST]
    return Dashboard(
        funnel=[(state, counts[state]) for state in LIFE_CYCLE_STATES],
        amounts=amounts,
        win_rate=counts[LifeCycleState.WON] / closed if closed else None,
        weighted_pipeline=queries.weighted_pipeline(db, actor, lead_type),
        open_amount=sum(amounts[state] for state in OPEN_STATES),
    )
