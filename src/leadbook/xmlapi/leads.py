"""The XML API's writes, translated into domain calls (the only module that makes them).

A ``<lead>`` body, once read by ``fields.read``, becomes LeadChanges for create/update;
a step becomes the life cycle move it means (see docs/xml-api.md, "The step").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.config import Settings
from leadbook.domain import clock, identifiers, leads, lifecycle
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.contacts import NewContact, accounts_of, find_company
from leadbook.domain.errors import (
    InvalidValue,
    MandatoryParameterMissing,
    NotFound,
)
from leadbook.xmlapi import fields, ids, representation, steps

PRIORITY = 3
SOURCE = Source(type="OTHER", name="XML API")
# elements that map one to one onto a lead attribute, with the reading to apply
DIRECT = {
    "topic": "topic",
    "value": "target_amount",
    "confidence_pct": "probability_to_win",
    "description": "description",
    "learning_on_customer": "learning_on_customer",
    "learning_on_sales_tools": "learning_on_sales_tools",
    "learning_on_products": "learning_on_products",
    "is_engaged": "is_engaged",
}


def lead_type(db: Session, settings: Settings) -> m.LeadType:
    """Returns the lead type given to leads created through XML."""
    if settings.xml_lead_type:
        for field in ("name", "alternative_code"):
            found = db.scalar(
                select(m.LeadType).where(getattr(m.LeadType, field) == settings.xml_lead_type)
            )
            if found is not None:
                return found
        raise NotFound(f"LEADBOOK_XML_LEAD_TYPE names no lead type: {settings.xml_lead_type!r}")
    found = db.scalar(select(m.LeadType).order_by(m.LeadType.name).limit(1))
    if found is None:
        raise NotFound("No lead type exists yet; create one first")
    return found


def by_number(db: Session, actor: Actor, number: str) -> m.Lead:
    """Returns the lead the address names if ``actor`` sees it, or raises NotFound."""
    if not re.fullmatch(r"[0-9]{1,9}", number):
        raise NotFound(f"There is no lead {number!r}")
    return identifiers.lead(db, actor, {"number": number}, param="id")


def create(db: Session, actor: Actor, body: dict[str, Any], settings: Settings) -> m.Lead:
    """Creates a lead from a ``<lead>`` body, then moves it to the body's step."""
    body.pop("id", None)
    kind = lead_type(db, settings)
    values: dict[str, Any] = {
        "type": kind,
        "importance": _importance(body.get("importance", 0)),
        "priority": PRIORITY,
        "contact": _contact_for_create(db, body),
    }
    values.update(_plain_values(db, body))
    if body.get("manager_id"):
        values["assigned_user"] = _user(db, body["manager_id"])
    expected = values.get("expected_completion_date")
    now = clock.now()
    values["start_date"] = min(now, expected) if expected else now
    _check_derived(values["contact"], body)
    lead = leads.create(db, actor, LeadChanges(values=values, source=SOURCE))
    if body.get("product_category_id") == 0 and lead.category is not None:
        # 0 says "none"; the domain gave the type's default category to a lead without one
        leads.update(db, actor, lead, LeadChanges(values={"category": None}))
    step = body.get(fields.STEP)
    if step:
        _move(db, actor, lead, steps.by_code(step), body.get("lost_reason"))
    return lead


def change(db: Session, actor: Actor, lead: m.Lead, body: dict[str, Any]) -> m.Lead:
    """Applies a PUT: the elements that differ from what a GET shows, then the step."""
    given_id = body.pop("id", None)
    if given_id not in (None, 0, lead.number):
        raise InvalidValue(f"<id> {given_id} does not match the address's lead {lead.number}")
    shown = representation.lead_view(db, actor, lead)
    changed = {k: v for k, v in body.items() if fields.write(k, v) != shown.get(k)}
    step = changed.pop(fields.STEP, None)
    lost_reason = changed.pop("lost_reason", None)
    values = _contact_change(db, lead, changed)
    _check_derived(values.get("contact", lead.contact), changed)
    for name in ("contact_id", "firm_id", "client_name"):
        changed.pop(name, None)
    values.update(_plain_values(db, changed))
    if "importance" in changed:
        values["importance"] = _importance(changed["importance"])
    if "manager_id" in changed:
        if not changed["manager_id"]:
            raise InvalidValue("<manager_id> cannot be emptied: a lead is always assigned")
        values["assigned_user"] = _user(db, changed["manager_id"])
    if values:
        leads.update(db, actor, lead, LeadChanges(values=values))
    if step is not None:
        _move(db, actor, lead, steps.by_code(step), lost_reason)
    elif lost_reason is not None and lead.life_cycle_state != m.LifeCycleState.LOST:
        raise InvalidValue("<lost_reason> applies only when moving the lead to step 470")
    return lead


def _plain_values(db: Session, body: dict[str, Any]) -> dict[str, Any]:
    values = {attr: body[name] for name, attr in DIRECT.items() if name in body}
    if "value_date" in body:
        day: date | None = body["value_date"]
        values["expected_completion_date"] = datetime.combine(day, time.min) if day else None
    if "project_id" in body:
        values["project_ref"] = str(body["project_id"]) if body["project_id"] else None
    if "product_category_id" in body:
        values["category"] = _entity(
            db, ids.CATEGORY, m.LeadCategory, body["product_category_id"], "product_category_id"
        )
    return values


def _importance(level: int) -> str:
    """0 (incwo's "not important", below CRM.COM's 1..5) is stored as CUSTOM1."""
    return f"IMPORTANCE{level}" if level else "CUSTOM1"


def _entity(db: Session, kind: str, model: type, number: int | None, element: str):
    if not number:
        return None
    entity_id = ids.entity_for(db, kind, number)
    row = db.get(model, entity_id) if entity_id else None
    if row is None:
        raise InvalidValue(f"<{element}> {number} does not exist")
    return row


def _user(db: Session, number: int) -> m.User:
    return _entity(db, ids.USER, m.User, number, "manager_id")


def _contact_for_create(db: Session, body: dict[str, Any]) -> m.Contact | NewContact:
    contact = _chosen_contact(db, body)
    if contact is None:
        raise MandatoryParameterMissing(
            "A lead needs a client: give <client_name>, <contact_id> or <firm_id>"
        )
    return contact


def _contact_change(db: Session, lead: m.Lead, changed: dict[str, Any]) -> dict[str, Any]:
    """Returns the values that give the lead the client a PUT names, if it names another."""
    contact = _chosen_contact(db, changed)
    if contact is None and 0 in (changed.get("contact_id"), changed.get("firm_id")):
        raise InvalidValue("A lead needs a client: give the new <contact_id> or <firm_id>")
    if contact is None or contact is lead.contact:
        return {}
    owned = accounts_of(db, contact) if isinstance(contact, m.Contact) else []
    return {"contact": contact, "accounts_receivable": owned[0] if len(owned) == 1 else None}


def _chosen_contact(db: Session, body: dict[str, Any]) -> m.Contact | NewContact | None:
    """The contact a body names: <contact_id> (a person), <firm_id> (a company), or the
    company called <client_name> (created when there is none); None when it names none."""
    person, firm = body.get("contact_id"), body.get("firm_id")
    if person and firm:
        raise InvalidValue("Give <contact_id> or <firm_id>, not both")
    if person or firm:
        element = "contact_id" if person else "firm_id"
        contact = _entity(db, ids.CONTACT, m.Contact, person or firm, element)
        wanted = "PERSON" if person else "COMPANY"
        if contact.type != wanted:
            raise InvalidValue(f"<{element}> {person or firm} is not a {wanted.lower()}")
        return contact
    name = (body.get("client_name") or "").strip()
    if not name:
        return None
    existing = find_company(db, name)
    return existing or NewContact(type="COMPANY", values={"company_name": name})


def _check_derived(contact: m.Contact | NewContact, body: dict[str, Any]) -> None:
    """client_name names the contact: it must be its name (a new company is called by its
    client_name)."""
    if isinstance(contact, m.Contact):
        name = contact.display_name
    else:
        name = contact.values["company_name"]
    if "client_name" in body and body["client_name"] not in (None, name):
        raise InvalidValue(
            f"<client_name> is the contact's name ({name!r}); it cannot be changed through a lead"
        )


def _move(db: Session, actor: Actor, lead: m.Lead, step: steps.Step, lost_reason) -> None:
    """Moves ``lead`` to ``step`` through the life cycle action the step means."""
    current = representation.step_of(lead)
    if step == current:
        return
    status = _status_for(lead.type, step) if step.code not in (469, 470) else None
    if step.life_cycle_state == m.LifeCycleState.LOST and not lost_reason:
        raise MandatoryParameterMissing("<lost_reason> is mandatory to move a lead to 470")
    reason = (
        identifiers.resolve(db, "lost_reason", {"name": lost_reason}, param="lost_reason")
        if step.life_cycle_state == m.LifeCycleState.LOST
        else None
    )
    lifecycle.move_to(db, actor, lead, status or step.life_cycle_state, lost_reason=reason)


def _shows_as(status: m.LeadStatus, step: steps.Step) -> bool:
    state = step.life_cycle_state
    return (
        status.life_cycle_state == state and steps.step_of(state, status.alternative_code) == step
    )


def _status_for(lead_type: m.LeadType, step: steps.Step) -> m.LeadStatus:
    """The status of ``lead_type`` that shows as ``step``: the one coded for it, else for a
    state's default step a plain status of that state (the type's own default first)."""
    for status in lead_type.statuses:
        if status.alternative_code == step.status_code:
            return status
    state = step.life_cycle_state
    if step == steps.DEFAULT_FOR_STATE[state]:
        preferred: dict[str, m.LeadStatus | None] = {
            m.LifeCycleState.PENDING: lead_type.create_status,
            m.LifeCycleState.IN_PROGRESS: lead_type.start_status,
        }
        candidates = [preferred.get(state), *sorted(lead_type.statuses, key=lambda s: s.name)]
        for candidate in candidates:
            if candidate is not None and _shows_as(candidate, step):
                return candidate
    raise InvalidValue(
        f"Lead type {lead_type.name!r} has no status for step {step.code} ({step.label}); "
        f"give one the alternative code {step.status_code}"
    )
