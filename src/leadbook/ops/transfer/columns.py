"""The columns of an export or import file, and the column a domain message is about."""

from __future__ import annotations

from leadbook.domain.errors import DomainError, wire_name

COLUMNS = (
    "number",
    "type",
    "status",
    "life_cycle_state",
    "category",
    "importance",
    "priority",
    "probability_to_win",
    "target_amount",
    "topic",
    "description",
    "contact_email",
    "contact_phone",
    "start_date",
    "expected_completion_date",
    "estimated_time_value",
    "estimated_time_unit",
    "contact_number",
    "contact_type",
    "contact_first_name",
    "contact_last_name",
    "contact_company_name",
    "contact_id_number",
    "source_type",
    "source_name",
    "source_reference",
    "assigned_user",
    "group",
    "lost_reason",
)

# the reference each source type needs, and how a row names it
SOURCE_REFERENCES = {
    "COMMUNICATIONS": ("communication", "number"),
    "NOTIFICATIONS": ("notification", "number"),
    "RECOMMENDED_BY_CONTACT": ("contact", "number"),
    "RECOMMENDED_BY_PARTNER": ("contact", "number"),
    "RECOMMENDED_BY_EMPLOYEE": ("user", "username"),
}


# the column of each domain field an error may name that has a column of another name
# (the others are named alike: type, priority, target_amount …)
FIELD_COLUMNS = {
    "estimated_completion_time": "estimated_time_value",
    "estimated_completion_time.value": "estimated_time_value",
    "contact": "contact_type",
    "contact.type": "contact_type",
    "contact.first_name": "contact_first_name",
    "contact.last_name": "contact_last_name",
    "contact.company_name": "contact_company_name",
    "contact.id_number": "contact_id_number",
    "contact.email": "contact_email",
    "contact.phone": "contact_phone",
    "source": "source_type",
    "owned_by_group": "group",
}


def column_of(error: DomainError) -> str:
    """Returns the column an error is about (empty when it names none)."""
    column = wire_name(error.field, FIELD_COLUMNS) if error.field else ""
    return column if column in COLUMNS else ""
