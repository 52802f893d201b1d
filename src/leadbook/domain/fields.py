"""Setting a lead's fields: plain values, the dates kept consistent, the source."""

from __future__ import annotations

from typing import Any

from leadbook import models as m
from leadbook.domain import periods
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.vocabulary import (
    NAMED_SOURCES,
    REFERENCES,
    SCALARS,
    SOURCE_REFERENCE,
    TEXT_LIMITS,
    canonical_source_type,
)

# the estimate's value, as errors name it
ESTIMATE_VALUE = "estimated_completion_time.value"


def apply_values(lead: m.Lead, values: dict[str, Any]) -> None:
    """Sets the plain fields and references of ``values`` (text within its column's length)."""
    for key, value in values.items():
        if key not in SCALARS and key not in REFERENCES:
            raise InvalidValue("{field} is not a field of a lead", field=key)
        if key == "expected_completion_date":
            continue  # handled with the estimate
        if isinstance(value, str) and key in TEXT_LIMITS and len(value) > TEXT_LIMITS[key]:
            raise InvalidValue(f"{{field}} is longer than {TEXT_LIMITS[key]} characters", field=key)
        setattr(lead, key, value)
    if "assigned_user" in values and "assigned_unit" not in values:
        user = values["assigned_user"]
        lead.assigned_unit = user.unit if user is not None else lead.assigned_unit


def apply_dates(lead: m.Lead, changes: LeadChanges, *, creating: bool) -> None:
    """Keeps expected = start + estimate, whichever of the two was given."""
    values = changes.values
    has_expected = "expected_completion_date" in values
    if has_expected and changes.estimated_given and values["expected_completion_date"]:
        if changes.estimated_completion_time is None:
            raise InvalidValue(
                "{field} cannot be null with an expected date", field="estimated_completion_time"
            )
        value, uot = changes.estimated_completion_time
        if periods.add(lead.start_date, value, uot) != values["expected_completion_date"]:
            raise InvalidValue(
                "expected_completion_date and {field} disagree; give one",
                field="estimated_completion_time",
            )
    if changes.estimated_given:
        estimate = changes.estimated_completion_time
        if estimate is None:
            lead.estimated_time_value = lead.estimated_time_uot = None
            lead.expected_completion_date = None
        else:
            value, uot = estimate
            if value is None or isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidValue("{field} must be a number", field=ESTIMATE_VALUE)
            if value < 0:
                raise InvalidValue("{field} must be 0 or more", field=ESTIMATE_VALUE)
            lead.estimated_time_value = value
            lead.estimated_time_uot = periods.check_unit(uot)
            lead.expected_completion_date = periods.add(lead.start_date, value, uot)
    elif has_expected:
        expected = values["expected_completion_date"]
        lead.expected_completion_date = expected
        if expected is None:
            lead.estimated_time_value = lead.estimated_time_uot = None
        else:
            value, uot = periods.between_datetimes(lead.start_date, expected)
            lead.estimated_time_value, lead.estimated_time_uot = value, uot
    elif (
        "start_date" in values
        and lead.estimated_time_uot
        and lead.estimated_time_value is not None
        and not creating
    ):
        lead.expected_completion_date = periods.add(
            lead.start_date, lead.estimated_time_value, lead.estimated_time_uot
        )


def apply_source(lead: m.Lead, source: Source) -> None:
    """Sets the lead's source: the type plus the name or reference that type needs."""
    kind = canonical_source_type(source.type)
    name = source.name
    if kind in NAMED_SOURCES:
        name = name or lead.type.default_source_name
        if not name:
            raise MandatoryParameterMissing(
                f"{{field}} is mandatory for source type {kind}", field="source_name"
            )
    reference = SOURCE_REFERENCE.get(kind)
    for attr in ("communication", "notification", "contact", "user"):
        if attr != reference and getattr(source, attr) is not None:
            raise InvalidValue(f"A {kind} source takes no {attr}")
    if reference and getattr(source, reference) is None:
        raise MandatoryParameterMissing(
            f"{{field}} is mandatory for source type {kind}", field=f"source.{kind.lower()}"
        )
    if name is not None and len(name) > TEXT_LIMITS["source_name"]:
        raise InvalidValue(
            f"{{field}} is longer than {TEXT_LIMITS['source_name']} characters",
            field="source_name",
        )
    lead.source_type = kind
    lead.source_name = name
    lead.source_communication = source.communication
    lead.source_notification = source.notification
    lead.source_contact = source.contact
    lead.source_user = source.user
