"""The first-response and rotting rule: one SQL condition per breach kind, used by the
flags on cards and lists, the list filters, the dashboard counts and the breach job.

Per lead type: ``first_response_minutes`` (an open lead with no note, activity or move
that long after its creation has *missed its first response*) and, per status, a number of
days (``rotting_thresholds``: an open lead in that status with no activity and no change
that long is *rotting*). ``escalation_hours`` later a breach is *escalated* (to the
managers of the lead's unit). The clock is ``domain.clock``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain.vocabulary import OPEN_STATES


class Breach(StrEnum):
    """A kind of breach."""

    FIRST_RESPONSE = "first_response"
    ROTTING = "rotting"

    @property
    def label(self) -> str:
        """Returns the breach as people read it."""
        return "No first response" if self is Breach.FIRST_RESPONSE else "Rotting"


@dataclass(frozen=True)
class Target:
    """The targets of one lead type."""

    type_id: str
    first_response_minutes: int | None
    escalation_hours: int | None
    rotting_days: dict[str, int] = field(default_factory=dict)  # status id → days


def targets(db: Session) -> list[Target]:
    """Returns the targets of every lead type having some."""
    rot: dict[str, dict[str, int]] = {}
    for row in db.scalars(select(m.RottingThreshold)):
        rot.setdefault(row.lead_type_id, {})[row.status_id] = row.days
    found = []
    for lead_type in db.scalars(select(m.LeadType)):
        minutes, days = lead_type.first_response_minutes, rot.get(lead_type.id, {})
        if minutes is not None or days:
            found.append(Target(lead_type.id, minutes, lead_type.escalation_hours, days))
    return found


@dataclass(frozen=True)
class Check:
    """The rule at ``now`` over ``targets``; ``escalated`` asks for breaches old enough to
    escalate."""

    targets: tuple[Target, ...]
    now: datetime
    escalated: bool = False

    def _late(self, target: Target) -> timedelta | None:
        if not self.escalated:
            return timedelta(0)
        hours = target.escalation_hours
        return None if hours is None else timedelta(hours=hours)

    def condition(self, kind: Breach) -> ColumnElement[bool]:
        """Returns the SQL condition of a lead in breach ``kind``."""
        lead = m.Lead
        parts: list[ColumnElement[bool]] = []
        for target in self.targets:
            late = self._late(target)
            if late is None:
                continue
            if kind is Breach.FIRST_RESPONSE and target.first_response_minutes is not None:
                cutoff = self.now - timedelta(minutes=target.first_response_minutes) - late
                parts.append(and_(lead.type_id == target.type_id, lead.created_date < cutoff))
            if kind is Breach.ROTTING:
                for status_id, days in target.rotting_days.items():
                    cutoff = self.now - timedelta(days=days) - late
                    parts.append(
                        and_(
                            lead.type_id == target.type_id,
                            lead.status_id == status_id,
                            lead.updated_date < cutoff,
                            or_(lead.last_activity_at.is_(None), lead.last_activity_at < cutoff),
                        )
                    )
        if not parts:
            return false()
        where = [lead.life_cycle_state.in_(OPEN_STATES), or_(*parts)]
        if kind is Breach.FIRST_RESPONSE:
            where.append(lead.last_activity_at.is_(None))  # no note, activity or move yet
        return and_(*where)

    def any_condition(self, kinds: Iterable[Breach] = tuple(Breach)) -> ColumnElement[bool]:
        """Returns the SQL condition of a lead in any breach of ``kinds``."""
        return or_(*(self.condition(kind) for kind in kinds))


def check(db: Session, now: datetime, escalated: bool = False) -> Check:
    """Returns the rule at ``now`` over the stored targets."""
    return Check(tuple(targets(db)), now, escalated)


def since(lead: m.Lead, kind: Breach) -> datetime:
    """Returns when the clock of breach ``kind`` started for ``lead``: its creation, or its
    last activity or change."""
    if kind is Breach.FIRST_RESPONSE:
        return lead.created_date
    return max(filter(None, [lead.created_date, lead.updated_date, lead.last_activity_at]))


def flags(db: Session, rule: Check, leads: list[m.Lead]) -> dict[str, list[Breach]]:
    """Returns the breaches of each of ``leads`` in breach (by the same conditions)."""
    ids = [lead.id for lead in leads]
    found: dict[str, list[Breach]] = {}
    if not ids:
        return found
    for kind in Breach:
        stmt = select(m.Lead.id).where(m.Lead.id.in_(ids), rule.condition(kind))
        for lead_id in db.scalars(stmt):
            found.setdefault(lead_id, []).append(kind)
    return found
