"""The web face's names for the domain's fields: the label a message uses and the form
input the message belongs to (an error naming a field is shown at that input)."""

from __future__ import annotations

from leadbook.domain.errors import DomainError

# domain field → (label, form input)
FIELDS = {
    "topic": ("Topic", "topic"),
    "type": ("Type", "type"),
    "status": ("Status", "status"),
    "category": ("Category", "category"),
    "importance": ("Importance", "importance"),
    "priority": ("Priority", "priority"),
    "probability_to_win": ("Probability to win", "probability_to_win"),
    "target_amount": ("Amount", "target_amount"),
    "contact_email": ("Contact email", "contact_email"),
    "contact_phone": ("Contact phone", "contact_phone"),
    "start_date": ("Start date", "start_date"),
    "expected_completion_date": ("Expected completion", "expected_completion_date"),
    "estimated_completion_time": ("Estimate", "estimate_value"),
    "estimated_completion_time.value": ("Estimate", "estimate_value"),
    "contact": ("Contact", "contact"),
    "contact.type": ("New contact", "new_contact_type"),
    "contact.first_name": ("First name", "first_name"),
    "contact.last_name": ("Last name", "last_name"),
    "contact.company_name": ("Company name", "company_name"),
    "source": ("Source type", "source_type"),
    "source_name": ("Source name", "source_name"),
    # the reference a source type needs (the form cannot give one yet)
    "source.notifications": ("The source's notification", "source_type"),
    "source.communications": ("The source's communication", "source_type"),
    "source.recommended_by_contact": ("The recommending contact", "source_type"),
    "source.recommended_by_employee": ("The recommending employee", "source_type"),
    "source.recommended_by_partner": ("The recommending partner", "source_type"),
    "assigned_user": ("Assigned user", "assigned_user"),
    "owned_by_group": ("Group", "owned_by_group"),
    "description": ("Description", "description"),
    "lost_reason": ("Lost reason", "lost_reason"),
}
LABELS = {field: label for field, (label, _) in FIELDS.items()}


def worded(error: DomainError) -> str:
    """Returns the error's message naming its field by the label the page shows."""
    return error.worded(LABELS)


def input_of(error: DomainError | None) -> str | None:
    """Returns the name of the form input the error is about, if any."""
    entry = FIELDS.get(error.field or "") if error is not None else None
    return entry[1] if entry else None
