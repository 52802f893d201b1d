"""What cards and list rows show of the workflow: the next activity (late or not) and the
breach flags, read through the domain's rules; and the dashboard's breach counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import clock, queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.domain.workflow import activities, sla
from leadbook.domain.workflow.sla import Breach


@dataclass(frozen=True)
class Mark:
    """A lead's next activity (None: none open), whether it is late, and its breaches."""

    next: m.Activity | None
    late: bool
    flags: list[Breach] = field(default_factory=list)


def marks(db: Session, leads: list[m.Lead]) -> dict[str, Mark]:
    """Returns the mark of each of ``leads``, by id."""
    now = clock.now()
    nexts = activities.next_of(db, leads)
    flags = sla.flags(db, sla.check(db, now), leads)
    return {
        lead.id: Mark(
            nexts.get(lead.id),
            lead.id in nexts and activities.is_late(nexts[lead.id], now),
            flags.get(lead.id, []),
        )
        for lead in leads
    }


def breach_counts(db: Session, actor: Actor, lead_type: m.LeadType | None) -> dict[Breach, int]:
    """Returns how many leads ``actor`` sees (of ``lead_type``) are in each breach now."""
    rule = sla.check(db, clock.now())
    return {
        kind: queries.count(
            db, actor, LeadFilter(type=lead_type, breached=rule, breach_kinds=(kind,))
        )
        for kind in Breach
    }
