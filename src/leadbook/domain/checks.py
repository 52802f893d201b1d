"""The checks a lead must pass after every change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect

from leadbook import models as m
from leadbook.domain import values
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.vocabulary import IMPORTANCES, PRIORITIES, SCALARS

# (field, lowest, highest) of the lead's floating point columns
NUMBERS = (
    ("probability_to_win", 0, 100),
    ("target_amount", 0, values.MAX_NUMBER),
    *((key, -values.MAX_NUMBER, values.MAX_NUMBER) for key in m.lead.UDF_FLOATS),
)
TEXTS = tuple(key for key in SCALARS if key not in {n for n, _, _ in NUMBERS})


def check_lead(lead: m.Lead) -> None:
    """Refuses a lead whose fields break a rule (ranges, dates, status, account, user)."""
    if lead.importance not in IMPORTANCES:
        raise InvalidValue(
            f"{{field}} must be one of {', '.join(IMPORTANCES)}, not {lead.importance!r}",
            field="importance",
        )
    if (
        isinstance(lead.priority, bool)
        or not isinstance(lead.priority, int)
        or (lead.priority not in PRIORITIES)
    ):
        raise InvalidValue(
            f"{{field}} must be a whole number from 1 to 6, not {lead.priority!r}", field="priority"
        )
    for key, low, high in NUMBERS:
        if getattr(lead, key) is not None:
            setattr(lead, key, values.number(getattr(lead, key), key, low=low, high=high))
    for key in TEXTS:
        if isinstance(getattr(lead, key), str):
            values.text(getattr(lead, key), key)
    for key in ("start_date", "expected_completion_date", *m.lead.UDF_DATES):
        value = getattr(lead, key)
        if value is not None and not isinstance(value, datetime):
            raise InvalidValue("{field} must be a date", field=key)
        if value is not None:
            values.moment(value, key)
    if lead.expected_completion_date and lead.expected_completion_date < lead.start_date:
        raise InvalidValue("{field} cannot be before start_date", field="expected_completion_date")
    if _changed(lead, "type", "status"):
        check_status_of_type(lead.type, lead.status)
    # a reference the change left alone was checked when it was set: not loaded again
    account = lead.accounts_receivable if _changed(lead, "accounts_receivable", "contact") else None
    if account is not None and account.owner is not lead.contact:
        raise InvalidValue(
            f"Accounts receivable {account.number} is not owned by the lead's contact"
        )
    user = lead.assigned_user if _changed(lead, "assigned_user") else None
    if user is not None and not user.is_active:
        raise InvalidValue(f"User {user.username} is not active")


def _changed(lead: m.Lead, *keys: str) -> bool:
    """Tells whether ``lead`` is new or any of its ``keys`` was set since it was loaded."""
    state = inspect(lead)
    return state.persistent is False or any(state.attrs[k].history.has_changes() for k in keys)


def check_status_of_type(lead_type: m.LeadType, status: m.LeadStatus) -> None:
    """Refuses a status that is not one of the lead type's statuses."""
    if lead_type.statuses and status not in lead_type.statuses:
        raise InvalidValue(
            f"Status {status.name!r} is not a status of lead type {lead_type.name!r}"
        )


def check_communication_settings(lead: m.Lead) -> None:
    """Refuses a new lead without the email or phone its type notifies through."""
    if lead.type.email_on_create and not lead.contact_email:
        raise MandatoryParameterMissing(
            f"{{field}} is mandatory: lead type {lead.type.name!r} emails new leads",
            field="contact_email",
        )
    if lead.type.sms_on_create and not lead.contact_phone:
        raise MandatoryParameterMissing(
            f"{{field}} is mandatory: lead type {lead.type.name!r} texts new leads",
            field="contact_phone",
        )
