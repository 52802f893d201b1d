"""How long leads take: from creation to being won, and in each status of a type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access
from leadbook.domain.actor import Actor
from leadbook.domain.reports.filters import (
    ReportFilter,
    assigned,
    lead_conditions,
    seen_rows,
    within,
)
from leadbook.domain.reports.funnel import ordered_statuses
from leadbook.domain.reports.stats import Summary, elapsed, summaries
from leadbook.models import LifeCycleState

NONE = Summary(0, None, None)


@dataclass(frozen=True)
class StatusTime:
    """The time leads spent in one status (their stays that ended in the period)."""

    status: str
    life_cycle_state: str
    time: Summary


def time_to_win(db: Session, actor: Actor, f: ReportFilter) -> Summary:
    """Returns the median and 90th percentile of the time from creation to winning, over
    the leads ``actor`` sees won in ``f``'s period."""
    lead = m.Lead
    query = select(lead.id).where(
        lead.life_cycle_state == LifeCycleState.WON,
        *within(lead.actual_completion_date, f),
        *lead_conditions(actor, f),
    )
    value = elapsed(db, lead.actual_completion_date, lead.created_date)
    return summaries(db, query, value).get(None, NONE)


def time_in_status(db: Session, actor: Actor, f: ReportFilter) -> list[StatusTime]:
    """Returns, per status (of ``f``'s lead type, in pipeline order, when it names one),
    the time spent in it over the stays that ended in the period."""
    stage = m.LeadStage
    rows = select(stage.status_id, stage.seconds).where(
        stage.left_at.is_not(None), *within(stage.left_at, f), *assigned(f, access.copied(stage))
    )
    if f.lead_type is not None:
        rows = rows.where(stage.type_id == f.lead_type.id)
    seen = seen_rows(actor, rows, access.copied(stage))  # no join: the stays' own copy
    found = summaries(db, select(seen), seen.c.seconds, seen.c.status_id)
    if f.lead_type is not None:
        statuses = ordered_statuses(f.lead_type)
    else:
        statuses = list(db.scalars(select(m.LeadStatus).where(m.LeadStatus.id.in_(found))))
        statuses.sort(key=lambda s: s.name)
    return [StatusTime(s.name, s.life_cycle_state, found.get(s.id, NONE)) for s in statuses]
