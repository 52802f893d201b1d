"""What every report can be narrowed by: a period, a lead type, a unit, a user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, union_all

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


def assigned(f: ReportFilter, lead: access.Columns = access.LEAD) -> list[ColumnElement[bool]]:
    """Returns the conditions putting a lead (``lead``'s columns: the leads', or their copy
    on a report's rows) in ``f``'s assigned unit and user."""
    found = []
    if f.unit is not None:
        found.append(lead.assigned_unit_id == f.unit.id)
    if f.user is not None:
        found.append(lead.assigned_user_id == f.user.id)
    return found


def lead_conditions(actor: Actor, f: ReportFilter) -> list[ColumnElement[bool]]:
    """Returns the conditions a lead counted meets: seen by ``actor``, of ``f``'s type and
    assigned to its unit and user."""
    found = [access.visible(actor), *assigned(f)]
    if f.lead_type is not None:
        found.append(m.Lead.type_id == f.lead_type.id)
    return found


def seen_rows(actor: Actor, rows: Select, lead: access.Columns) -> Subquery:
    """Returns ``rows`` (a report's rows, carrying the copy ``lead`` of their lead's
    columns) that ``actor`` sees: one read per part of the visibility rule
    (access.parts), UNION ALL, so each reads its own index."""
    reads = [rows.where(part) for part in access.parts(actor, lead)]
    return (reads[0] if len(reads) == 1 else union_all(*reads)).subquery("seen")
