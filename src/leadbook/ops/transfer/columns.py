"""The columns of an export or import file, and the column a domain message is about."""

from __future__ import annotations

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


def column_of(message: str) -> str:
    """Names the column a domain message is about: the one it starts with, or names last
    in parentheses (identifier errors end with "(column)")."""
    if message.endswith(")") and "(" in message:
        named = message.rsplit("(", 1)[1].rstrip(")")
        if named in COLUMNS:
            return named
    first = message.split(" ", 1)[0].strip(":,.")
    for column in COLUMNS:
        if first == column or message.startswith(column):
            return column
    return ""
