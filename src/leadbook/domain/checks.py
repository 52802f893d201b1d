"""The checks a lead must pass after every change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from leadbook import models as m
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.vocabulary import IMPORTANCES, PRIORITIES


def check_lead(lead: m.Lead) -> None:
    """Refuses a lead whose fields break a rule (ranges, dates, status, account, user)."""
    if lead.importance not in IMPORTANCES:
        raise InvalidValue(
            f"importance must be one of {', '.join(IMPORTANCES)}, not {lead.importance!r}"
        )
    if (
        isinstance(lead.priority, bool)
        or not isinstance(lead.priority, int)
        or (lead.priority not in PRIORITIES)
    ):
        raise InvalidValue(f"priority must be a whole number from 1 to 6, not {lead.priority!r}")
    _number(lead.probability_to_win, "probability_to_win", 0, 100)
    _number(lead.target_amount, "target_amount", 0, None)
    for key in m.lead.UDF_FLOATS:
        _number(getattr(lead, key), key, None, None)
    for key in ("start_date", "expected_completion_date", *m.lead.UDF_DATES):
        value = getattr(lead, key)
        if value is not None and not isinstance(value, datetime):
            raise InvalidValue(f"{key} must be a date")
    if lead.expected_completion_date and lead.expected_completion_date < lead.start_date:
        raise InvalidValue("expected_completion_date cannot be before start_date")
    check_status_of_type(lead.type, lead.status)
    account = lead.accounts_receivable
    if account is not None and lead.contact is not None and account.owner is not lead.contact:
        raise InvalidValue(
            f"Accounts receivable {account.number} is not owned by the lead's contact"
        )
    if lead.assigned_user is not None and not lead.assigned_user.is_active:
        raise InvalidValue(f"User {lead.assigned_user.username} is not active")


def _number(value: Any, name: str, low: float | None, high: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise InvalidValue(f"{name} must be a number")
    if low is not None and value < low or high is not None and value > high:
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise InvalidValue(f"{name} must be {bounds}, not {value}")


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
            f"contact_email is mandatory: lead type {lead.type.name!r} emails new leads"
        )
    if lead.type.sms_on_create and not lead.contact_phone:
        raise MandatoryParameterMissing(
            f"contact_phone is mandatory: lead type {lead.type.name!r} texts new leads"
        )
