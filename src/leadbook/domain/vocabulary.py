"""The words a lead's fields are made of: states, importances, source types, the field lists."""

from __future__ import annotations

from sqlalchemy import String

from leadbook import models as m
from leadbook.domain.errors import InvalidValue

# lead numbers are 1 to 9 digits (as lead identifiers read them); an explicit number stays
# below the last so the counter can always continue after it
MAX_LEAD_NUMBER = 999_999_999
OPEN_STATES = (m.LifeCycleState.PENDING, m.LifeCycleState.IN_PROGRESS)
IMPORTANCES = tuple(f"IMPORTANCE{i}" for i in range(1, 6)) + ("CUSTOM1", "CUSTOM2", "CUSTOM3")
PRIORITIES = range(1, 7)
SOURCE_TYPES = (
    "ADVERTISEMENT",
    "NOTIFICATIONS",
    "COMMUNICATIONS",
    "RECOMMENDED_BY_CONTACT",
    "RECOMMENDED_BY_EMPLOYEE",
    "RECOMMENDED_BY_PARTNER",
    "WEBSITE",
    "OTHER",
    "CUSTOM1",
    "CUSTOM2",
    "CUSTOM3",
)
NAMED_SOURCES = ("ADVERTISEMENT", "WEBSITE", "OTHER", "CUSTOM1", "CUSTOM2", "CUSTOM3")
# the source's reference each type needs, and the Source field holding it
SOURCE_REFERENCE = {
    "NOTIFICATIONS": "notification",
    "COMMUNICATIONS": "communication",
    "RECOMMENDED_BY_CONTACT": "contact",
    "RECOMMENDED_BY_EMPLOYEE": "user",
    "RECOMMENDED_BY_PARTNER": "contact",
}
SET_KINDS = ("PRODUCT", "SERVICE", "PHYSICAL_GOOD")
PRODUCT_FIELDS = ("product", "product_type", "product_brand", "product_family")

SCALARS = (
    "importance",
    "priority",
    "probability_to_win",
    "target_amount",
    "description",
    "topic",
    "contact_email",
    "contact_phone",
    "start_date",
    "expected_completion_date",
    "project_ref",
    "is_engaged",
    "learning_on_customer",
    "learning_on_sales_tools",
    "learning_on_products",
    "attribution",
    *m.lead.UDF_STRINGS,
    *m.lead.UDF_FLOATS,
    *m.lead.UDF_DATES,
)
REFERENCES = (
    "type",
    "status",
    "category",
    "lost_reason",
    "contact",
    "accounts_receivable",
    "assigned_user",
    "assigned_unit",
    "owned_by_group",
    "privacy_level",
    "lead_owner",
    "subscription_package",
)
# fields no lead can be without: setting them to null is refused
REQUIRED = ("type", "status", "importance", "priority", "contact", "start_date")
TEXT_LIMITS = {
    c.key: c.type.length
    for c in m.Lead.__table__.columns
    if isinstance(c.type, String) and c.type.length is not None
}


def canonical_source_type(text: str) -> str:
    """Returns the source type ``text`` names (RECOMMENDEDBYCONTACT is accepted too)."""
    key = str(text or "").upper()
    for name in SOURCE_TYPES:
        if key in (name, name.replace("_", "")):
            return name
    raise InvalidValue(f"Unknown source type {text!r}; use one of {', '.join(SOURCE_TYPES)}")


def check_status(status: m.LeadStatus) -> None:
    """Refuses a lead status whose life cycle state is not one of the five."""
    if status.life_cycle_state not in m.LIFE_CYCLE_STATES:
        states = ", ".join(m.LIFE_CYCLE_STATES)
        raise InvalidValue(
            f"{{field}} must be one of {states}, not {status.life_cycle_state!r}",
            field="life_cycle_state",
        )
