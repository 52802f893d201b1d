"""Creating, changing and deleting leads: every rule a lead's fields obey lives here.

Faces translate their wire format into ``LeadChanges`` (identifiers already resolved to
rows) and call ``create`` / ``update`` / ``delete``; the life cycle moves are in
``lifecycle``. Every function flushes, so a broken rule or a stale write raises a
DomainError inside the request, whose transaction then rolls back as a whole.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from leadbook import models as m
from leadbook.domain import clock, events, periods
from leadbook.domain.actor import Actor
from leadbook.domain.contacts import accounts_of
from leadbook.domain.errors import (
    Conflict,
    InvalidLifeCycleState,
    InvalidValue,
    MandatoryParameterMissing,
    NotFound,
)
from leadbook.domain.numbering import claim, next_number

OPEN_STATES = ("PENDING", "IN_PROGRESS")
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
    "learning_on_customer",
    "learning_on_sales_tools",
    "learning_on_products",
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
    if isinstance(getattr(c.type, "length", None), int)
}


@dataclass
class Source:
    """Where a lead came from: a type plus the name or reference that type needs."""

    type: str
    name: str | None = None
    communication: m.Communication | None = None
    notification: m.Notification | None = None
    contact: m.Contact | None = None
    user: m.User | None = None


@dataclass(frozen=True)
class ProductItem:
    """One item of a lead's products: ``field`` says which of the four ``row`` is."""

    kind: str
    field: str
    row: Any


@dataclass(frozen=True)
class RowId:
    """A set item named by the id of the lead's own row (``lead_competitor_identifier``)."""

    id: str


@dataclass
class SetEdit:
    """Items to add to and remove from one of a lead's sets."""

    add: list = field(default_factory=list)
    remove: list = field(default_factory=list)


@dataclass
class LeadChanges:
    """What to set on a lead. Keys absent from ``values`` are left alone; None clears."""

    values: dict[str, Any] = field(default_factory=dict)
    estimated_completion_time: tuple[float, str] | None = None
    estimated_given: bool = False
    source: Source | None = None
    competitors: SetEdit | None = None
    users: SetEdit | None = None
    products: SetEdit | None = None


def guarded(function):
    """Runs a write with autoflush off (the change is flushed once, when complete, so the
    lead's version moves by one) and turns a stale or clashing write into Conflict."""

    @functools.wraps(function)
    def wrapper(db: Session, *args, **kwargs):
        try:
            with db.no_autoflush:
                return function(db, *args, **kwargs)
        except StaleDataError as exc:
            raise Conflict(
                "The lead was changed by someone else meanwhile; read it and retry"
            ) from exc
        except IntegrityError as exc:
            raise Conflict(f"The change clashes with stored data: {exc.orig}") from exc

    return wrapper


@guarded
def flush(db: Session) -> None:
    """Flushes, turning a stale or duplicate write into Conflict."""
    db.flush()


def create(db: Session, actor: Actor, changes: LeadChanges, *, number: int | None = None) -> m.Lead:
    """Creates a lead from ``changes`` (type, importance, priority, contact and source
    are needed; the type supplies the status and category when they are left out)."""
    values = dict(changes.values)
    lead_type = values.get("type")
    for key, label in (
        ("type", "type_identifier"),
        ("importance", "importance"),
        ("priority", "priority"),
        ("contact", "contact_information"),
    ):
        if values.get(key) is None:
            raise MandatoryParameterMissing(f"{label} is mandatory")
    if changes.source is None:
        raise MandatoryParameterMissing("source is mandatory")
    now = clock.now()
    lead = m.Lead(
        life_cycle_state="PENDING",
        created_date=now,
        updated_date=now,
        created_by_user=actor.user,
        created_by_unit=actor.unit,
        updated_by_user=actor.user,
        updated_by_unit=actor.unit,
    )
    values.setdefault("start_date", now)
    if values.get("status") is None:
        values["status"] = _default_status(lead_type, "create", ("PENDING",))
    if values.get("category") is None and lead_type.default_category is not None:
        values["category"] = lead_type.default_category
    state = values["status"].life_cycle_state
    if state not in OPEN_STATES:
        raise InvalidLifeCycleState(
            f"A lead is created Pending or In Progress; status {values['status'].name!r} "
            f"is {state} (use start_progress, win, lost or cancel afterwards)"
        )
    if "accounts_receivable" not in values:
        owned = accounts_of(db, values["contact"]) if values["contact"].id else []
        if len(owned) == 1:
            values["accounts_receivable"] = owned[0]
        elif owned:
            raise MandatoryParameterMissing(
                "accounts_receivable_identifier is mandatory: the contact is already a "
                "customer with several accounts receivable"
            )
    if values.get("assigned_user") is None and values.get("assigned_unit") is None:
        values["assigned_user"] = actor.user
    _apply(lead, values)
    lead.life_cycle_state = state
    _apply_dates(lead, changes, creating=True)
    _apply_source(lead, changes.source)
    _check(lead)
    _check_communication_settings(lead)
    lead.number = number if number is not None else next_number(db, "lead")
    if number is not None:
        if number < 1:
            raise InvalidValue("A lead number must be 1 or more")
        claim(db, "lead", number)
    db.add(lead)
    _edit_sets(lead, changes, creating=True)
    flush(db)
    events.record(db, lead, actor, "create", None)
    flush(db)
    return lead


@guarded
def update(
    db: Session,
    actor: Actor,
    lead: m.Lead,
    changes: LeadChanges,
    *,
    expected_version: int | None = None,
) -> m.Lead:
    """Changes an open lead. A status of another life cycle state moves the lead there
    with the rules of that move (see lifecycle.move_by_status)."""
    from leadbook.domain import lifecycle

    if expected_version is not None and expected_version != lead.version:
        raise Conflict(
            f"Lead {lead.number} is at version {lead.version}, not {expected_version}; "
            "read it again and retry"
        )
    if lead.life_cycle_state not in OPEN_STATES:
        raise InvalidLifeCycleState(
            f"Lead {lead.number} is {lead.life_cycle_state}; only Pending or In Progress "
            "leads can be updated"
        )
    values = dict(changes.values)
    for key in REQUIRED:
        if key in values and values[key] is None:
            raise MandatoryParameterMissing(f"{key} cannot be set to null")
    before = events.snapshot(lead)
    status = values.pop("status", None)
    lost_reason = values.pop("lost_reason", None)
    if "type" in values and values["type"] is not lead.type and status is None:
        status = lead.status
    _apply(lead, values)
    _apply_dates(lead, changes, creating=False)
    if changes.source is not None:
        _apply_source(lead, changes.source)
    _edit_sets(lead, changes, creating=False)
    _check(lead)
    _touch(lead, actor)
    if status is not None and status is not lead.status:
        if status.life_cycle_state == lead.life_cycle_state:
            _check_status_of_type(lead.type, status)
            lead.status = status
        else:
            lifecycle.move_by_status(db, lead, status, lost_reason=lost_reason)
    elif lost_reason is not None:
        raise InvalidValue(
            "lost_reason_identifier applies only when the lead is set to a lost status"
        )
    flush(db)
    events.record(db, lead, actor, "update", before)
    flush(db)
    return lead


@guarded
def delete(db: Session, actor: Actor, lead: m.Lead) -> None:
    """Deletes ``lead``; its history stays in the audit trail."""
    before = events.snapshot(lead)
    events.record(db, lead, actor, "delete", before, {"deleted": [False, True]})
    db.delete(lead)
    flush(db)


def _touch(lead: m.Lead, actor: Actor) -> None:
    """Stamps the change; the lead's row is always rewritten, so its version moves even
    when only its sets changed (within the same second as the last change)."""
    lead.updated_date = clock.now()
    flag_modified(lead, "updated_date")
    lead.updated_by_user = actor.user
    lead.updated_by_unit = actor.unit


def _apply(lead: m.Lead, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key not in SCALARS and key not in REFERENCES:
            raise InvalidValue(f"{key} is not a field of a lead")
        if key == "expected_completion_date":
            continue  # handled with the estimate
        if isinstance(value, str) and key in TEXT_LIMITS and len(value) > TEXT_LIMITS[key]:
            raise InvalidValue(f"{key} is longer than {TEXT_LIMITS[key]} characters")
        setattr(lead, key, value)
    if "assigned_user" in values and "assigned_unit" not in values:
        user = values["assigned_user"]
        lead.assigned_unit = user.unit if user is not None else lead.assigned_unit


def _apply_dates(lead: m.Lead, changes: LeadChanges, *, creating: bool) -> None:
    """Keeps expected = start + estimate, whichever of the two was given."""
    values = changes.values
    has_expected = "expected_completion_date" in values
    if has_expected and changes.estimated_given and values["expected_completion_date"]:
        if changes.estimated_completion_time is None:
            raise InvalidValue("estimated_completion_time cannot be null with an expected date")
        value, uot = changes.estimated_completion_time
        if periods.add(lead.start_date, value, uot) != values["expected_completion_date"]:
            raise InvalidValue(
                "expected_completion_date and estimated_completion_time disagree; give one"
            )
    if changes.estimated_given:
        estimate = changes.estimated_completion_time
        if estimate is None:
            lead.estimated_time_value = lead.estimated_time_uot = None
            lead.expected_completion_date = None
        else:
            value, uot = estimate
            if value is None or isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidValue("estimated_completion_time.time_period_value must be a number")
            if value < 0:
                raise InvalidValue("estimated_completion_time.time_period_value must be 0 or more")
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
    elif "start_date" in values and lead.estimated_time_uot and not creating:
        lead.expected_completion_date = periods.add(
            lead.start_date, lead.estimated_time_value, lead.estimated_time_uot
        )


def canonical_source_type(text: str) -> str:
    """Returns the source type ``text`` names (RECOMMENDEDBYCONTACT is accepted too)."""
    key = str(text or "").upper()
    for name in SOURCE_TYPES:
        if key in (name, name.replace("_", "")):
            return name
    raise InvalidValue(f"Unknown source type {text!r}; use one of {', '.join(SOURCE_TYPES)}")


def _apply_source(lead: m.Lead, source: Source) -> None:
    kind = canonical_source_type(source.type)
    name = source.name
    if kind in NAMED_SOURCES:
        name = name or lead.type.default_source_name
        if not name:
            raise MandatoryParameterMissing(f"source.name is mandatory for a {kind} source")
    reference = SOURCE_REFERENCE.get(kind)
    for attr in ("communication", "notification", "contact", "user"):
        if attr != reference and getattr(source, attr) is not None:
            raise InvalidValue(f"A {kind} source takes no {attr}")
    if reference and getattr(source, reference) is None:
        param = {
            "NOTIFICATIONS": "source_notifications_identifier",
            "COMMUNICATIONS": "source_communications_identifier",
            "RECOMMENDED_BY_CONTACT": "source_recommended_by_contact_identifier",
            "RECOMMENDED_BY_EMPLOYEE": "source_recommended_by_employee_identifier",
            "RECOMMENDED_BY_PARTNER": "source_recommended_by_partner_identifier",
        }[kind]
        raise MandatoryParameterMissing(f"source.{param} is mandatory for a {kind} source")
    if name is not None and len(name) > TEXT_LIMITS["source_name"]:
        raise InvalidValue(f"source.name is longer than {TEXT_LIMITS['source_name']} characters")
    lead.source_type = kind
    lead.source_name = name
    lead.source_communication = source.communication
    lead.source_notification = source.notification
    lead.source_contact = source.contact
    lead.source_user = source.user


def _check(lead: m.Lead) -> None:
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
    _check_status_of_type(lead.type, lead.status)
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


def _check_status_of_type(lead_type: m.LeadType, status: m.LeadStatus) -> None:
    if lead_type.statuses and status not in lead_type.statuses:
        raise InvalidValue(
            f"Status {status.name!r} is not a status of lead type {lead_type.name!r}"
        )


def _default_status(lead_type: m.LeadType, action: str, states: tuple[str, ...]):
    """Returns the type's status for ``action``, else its first status in ``states``."""
    status = getattr(lead_type, f"{action}_status")
    if status is not None:
        return status
    for candidate in sorted(lead_type.statuses, key=lambda s: s.name):
        if candidate.life_cycle_state in states:
            return candidate
    raise MandatoryParameterMissing(
        f"status_identifier is mandatory: lead type {lead_type.name!r} has no default status"
    )


def _check_communication_settings(lead: m.Lead) -> None:
    if lead.type.email_on_create and not lead.contact_email:
        raise MandatoryParameterMissing(
            f"contact_email is mandatory: lead type {lead.type.name!r} emails new leads"
        )
    if lead.type.sms_on_create and not lead.contact_phone:
        raise MandatoryParameterMissing(
            f"contact_phone is mandatory: lead type {lead.type.name!r} texts new leads"
        )


def _edit_sets(lead: m.Lead, changes: LeadChanges, *, creating: bool) -> None:
    if changes.competitors:
        _edit(
            lead.competitors, changes.competitors, m.LeadCompetitor, "competitor", "competitors_set"
        )
    if changes.users:
        for user in changes.users.add:
            if not user.is_active:
                raise InvalidValue(f"User {user.username} is not active")
        _edit(lead.users, changes.users, m.LeadUser, "user", "users_set")
    if changes.products:
        _edit_products(lead, changes.products)


def _edit(rows: list, edit: SetEdit, row_type: type, attr: str, param: str) -> None:
    for target in edit.remove:
        row = next(
            (
                r
                for r in rows
                if (r.id == target.id if isinstance(target, RowId) else getattr(r, attr) is target)
            ),
            None,
        )
        if row is None:
            raise NotFound(f"{param}: {_label(target)} is not in the lead's {param}")
        rows.remove(row)
    for target in edit.add:
        if any(getattr(r, attr) is target for r in rows):
            raise InvalidValue(f"{param}: {_label(target)} is already in the lead's {param}")
        rows.append(row_type(**{attr: target}, position=len(rows)))


def _edit_products(lead: m.Lead, edit: SetEdit) -> None:
    def matches(row: m.LeadProduct, item) -> bool:
        if isinstance(item, RowId):
            return row.id == item.id
        return row.kind == item.kind and getattr(row, item.field) is item.row

    for item in edit.remove:
        row = next((r for r in lead.products if matches(r, item)), None)
        if row is None:
            raise NotFound(f"{_label(item)} is not among the lead's products")
        lead.products.remove(row)
    for item in edit.add:
        if item.kind not in SET_KINDS or item.field not in PRODUCT_FIELDS:
            raise InvalidValue(f"Unknown product item {item.kind}/{item.field}")
        if any(matches(r, item) for r in lead.products):
            raise InvalidValue(f"{_label(item)} is already among the lead's products")
        lead.products.append(
            m.LeadProduct(kind=item.kind, position=len(lead.products), **{item.field: item.row})
        )


def _label(target: Any) -> str:
    if isinstance(target, RowId):
        return f"row {target.id}"
    if isinstance(target, ProductItem):
        return f"{target.field.replace('_', ' ')} {_label(target.row)}"
    for attr in ("name", "username", "code"):
        if getattr(target, attr, None):
            return repr(getattr(target, attr))
    return str(getattr(target, "id", target))
