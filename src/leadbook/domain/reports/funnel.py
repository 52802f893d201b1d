"""The funnel of a lead type: how many leads entered each status of its pipeline (their
first stay there) and the drop-off from each status to the next."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access
from leadbook.domain.actor import Actor
from leadbook.domain.errors import MandatoryParameterMissing
from leadbook.domain.reports.filters import ReportFilter, assigned, seen_rows, within
from leadbook.models import LIFE_CYCLE_STATES, LifeCycleState

PIPELINE = (LifeCycleState.PENDING, LifeCycleState.IN_PROGRESS, LifeCycleState.WON)


@dataclass(frozen=True)
class Stage:
    """A status of the funnel: the leads that entered it, and the share of them that did
    not enter the next stage (percent; None for the last stage or when none entered)."""

    status: str
    life_cycle_state: str
    leads: int
    drop_off_percent: float | None


@dataclass(frozen=True)
class Funnel:
    """The stages of a type's pipeline in order, and the leads that left it (lost or
    cancelled statuses) beside them."""

    lead_type: str
    stages: list[Stage]
    exits: dict[str, int]


def ordered_statuses(lead_type: m.LeadType) -> list[m.LeadStatus]:
    """Returns the statuses of ``lead_type`` in life cycle order, then by name."""
    order: dict[str, int] = {state: i for i, state in enumerate(LIFE_CYCLE_STATES)}
    return sorted(lead_type.statuses, key=lambda s: (order[s.life_cycle_state], s.name))


def funnel(db: Session, actor: Actor, f: ReportFilter) -> Funnel:
    """Returns the funnel of ``f``'s lead type (which it must name): leads counted once per
    status, when they first entered it within the period."""
    if f.lead_type is None:
        raise MandatoryParameterMissing("{field} is mandatory for a funnel", field="lead_type")
    stage = m.LeadStage
    rows = select(stage.status_id).where(
        stage.type_id == f.lead_type.id,
        stage.first.is_(True),
        *within(stage.entered_at, f),
        *assigned(f, access.copied(stage)),
    )
    seen = seen_rows(actor, rows, access.copied(stage))  # no join: the stays' own copy
    query = select(seen.c.status_id, func.count()).group_by(seen.c.status_id)
    counts: dict[str, int] = {status: n for status, n in db.execute(query)}
    statuses = ordered_statuses(f.lead_type)
    pipeline = [s for s in statuses if s.life_cycle_state in PIPELINE]
    stages = []
    for index, status in enumerate(pipeline):
        entered = counts.get(status.id, 0)
        following = pipeline[index + 1] if index + 1 < len(pipeline) else None
        drop = None
        if following is not None and entered:
            drop = round(100 * (entered - counts.get(following.id, 0)) / entered, 1)
        stages.append(Stage(status.name, status.life_cycle_state, entered, drop))
    exits = {s.name: counts.get(s.id, 0) for s in statuses if s.life_cycle_state not in PIPELINE}
    return Funnel(f.lead_type.name, stages, exits)
