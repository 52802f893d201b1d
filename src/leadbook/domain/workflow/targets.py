"""Setting a lead type's workflow targets (``config apply``, ``PUT /api/admin/lead_types``):
first response and escalation as the type's columns, rotting days per status by name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain.errors import InvalidValue

MAX_MINUTES = 60 * 24 * 365
MAX_HOURS = 24 * 365
MAX_DAYS = 3650


def check_type(lead_type: m.LeadType) -> None:
    """Refuses targets that are not a positive number within bounds."""
    for name, high in (("first_response_minutes", MAX_MINUTES), ("escalation_hours", MAX_HOURS)):
        value = getattr(lead_type, name)
        if value is not None and not 1 <= value <= high:
            raise InvalidValue(f"{{field}} must be from 1 to {high}, not {value}", field=name)


def set_rotting(db: Session, lead_type: m.LeadType, given: Any, where: str) -> bool:
    """Makes the type's rotting thresholds ``given`` ({status name: days}; days null: none);
    returns whether they changed. Statuses must be the type's own."""
    if not isinstance(given, dict):
        raise InvalidValue(f"{where}.rotting_days must map status names to days")
    db.flush()
    statuses = {status.name: status for status in lead_type.statuses}
    stored = {
        row.status_id: row
        for row in db.scalars(
            select(m.RottingThreshold).where(m.RottingThreshold.lead_type_id == lead_type.id)
        )
    }
    changed = False
    for name, days in given.items():
        status = statuses.get(str(name))
        if status is None:
            raise InvalidValue(f"{where}.rotting_days: {name!r} is no status of the type")
        row = stored.get(status.id)
        if days is None:
            if row is not None:
                db.delete(row)
                changed = True
            continue
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise InvalidValue(f"{where}.rotting_days.{name} must be from 1 to {MAX_DAYS} days")
        if row is None:
            db.add(m.RottingThreshold(lead_type_id=lead_type.id, status_id=status.id, days=days))
        elif row.days != days:
            row.days = days
        else:
            continue
        changed = True
    return changed


def rotting_of(db: Session, lead_type: m.LeadType) -> dict[str, int]:
    """Returns the type's rotting thresholds as {status name: days}."""
    stmt = (
        select(m.LeadStatus.name, m.RottingThreshold.days)
        .join(m.RottingThreshold, m.RottingThreshold.status_id == m.LeadStatus.id)
        .where(m.RottingThreshold.lead_type_id == lead_type.id)
        .order_by(m.LeadStatus.name)
    )
    return {name: days for name, days in db.execute(stmt)}
