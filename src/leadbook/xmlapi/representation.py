"""A lead as the XML API shows it: the seed's ``<lead>`` fields, computed from the domain."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from leadbook.models import Lead
from leadbook.xmlapi import fields, ids, steps

IMPORTANCES = {f"IMPORTANCE{n}": n for n in range(1, 6)}


def importance_of(lead: Lead) -> int:
    """Returns IMPORTANCE1..5 as 1..5; a custom importance (CUSTOM1..3) shows as 0."""
    return IMPORTANCES.get(lead.importance, 0)


def engaged(lead: Lead) -> bool:
    """0 prospect / 1 customer: as a client last wrote it, else whether the contact is a
    customer (it owns an accounts receivable; a won lead's contact does)."""
    if lead.is_engaged is not None:
        return lead.is_engaged
    return lead.contact.life_cycle_state == "FINANCIAL"


def step_of(lead: Lead) -> steps.Step:
    """Returns the step the lead is at."""
    return steps.step_of(lead.life_cycle_state, lead.status.alternative_code)


def views(db: Session, leads: Sequence[Lead]) -> list[dict[str, str]]:
    """Returns the element texts of each lead, in the order of ``fields.ORDER``."""
    users = ids.numbers_for(db, ids.USER, (lead.assigned_user_id for lead in leads))
    contacts = ids.numbers_for(db, ids.CONTACT, (lead.contact_id for lead in leads))
    categories = ids.numbers_for(db, ids.CATEGORY, (lead.category_id for lead in leads))
    return [_view(lead, users, contacts, categories) for lead in leads]


def view(db: Session, lead: Lead) -> dict[str, str]:
    """Returns the element texts of one lead."""
    return views(db, [lead])[0]


def _view(lead: Lead, users: dict, contacts: dict, categories: dict) -> dict[str, str]:
    contact = lead.contact
    contact_number = contacts.get(lead.contact_id, 0)
    is_company = contact.type == "COMPANY"
    values = {
        "id": lead.number,
        "manager_id": users.get(lead.assigned_user_id or "", 0),
        "client_name": contact.display_name,
        "topic": lead.topic,
        "contact_id": 0 if is_company else contact_number,
        "firm_id": contact_number if is_company else 0,
        "is_engaged": engaged(lead),
        "importance": importance_of(lead),
        "product_category_id": categories.get(lead.category_id or "", 0),
        "value": lead.target_amount,
        "value_date": lead.expected_completion_date,
        "confidence_pct": lead.probability_to_win,
        "project_id": lead.project_ref,
        "description": lead.description,
        "learning_on_customer": lead.learning_on_customer,
        "learning_on_sales_tools": lead.learning_on_sales_tools,
        "learning_on_products": lead.learning_on_products,
        fields.STEP: step_of(lead).code,
        "lost_reason": lead.lost_reason.name if lead.lost_reason else None,
        "created_at": lead.created_date,
        "updated_at": lead.updated_date,
    }
    return {name: fields.write(name, values[name]) for name in fields.ORDER}
