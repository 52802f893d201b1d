"""What every report can be narrowed by: a period, a lead type, a unit, a user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement

from leadbook import models as m
from leadbook.domain import access
from leadbook.domain.actor import Actor
from leadbook.domain.errors import InvalidValue


@dataclass(frozen=True)
class ReportFilter:
    """A period [``since``, ``until``) (either end open when None), and the lead type,
    assigned unit and assigned user of the leads counted (None: any)."""

    since: datetime | None = None
    until: datetime | None = None
    lead_type: m.LeadType | None = None
    unit: m.Unit | None = None
    user: m.User | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise InvalidValue("{field} must be after since", field="until")


def within(column: Any, f: ReportFilter) -> list[ColumnElement[bool]]:
    """Returns the conditions putting ``column`` (a time) in ``f``'s period."""
    found = []
    if f.since is not None:
        found.append(column >= f.since)
    if f.until is not None:
        found.append(column < f.until)
    return found


def needs_leads(actor: Actor, f: ReportFilter) -> bool:
    """Whether a report over a summary must join the leads: the actor sees only some, or
    ``f`` names a unit or user."""
    return not actor.user.is_admin or f.unit is not None or f.user is not None


def lead_conditions(actor: Actor, f: ReportFilter) -> list[ColumnElement[bool]]:
    """Returns the conditions a lead counted meets: seen by ``actor`` and ``f``'s type,
    unit and user."""
    lead = m.Lead
    found = [access.visible(actor)]
    if f.lead_type is not None:
        found.append(lead.type_id == f.lead_type.id)
    if f.unit is not None:
        found.append(lead.assigned_unit_id == f.unit.id)
    if f.user is not None:
        found.append(lead.assigned_user_id == f.user.id)
    return found
