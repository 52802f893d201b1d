"""A lead as the XML API shows it: the seed's ``<lead>`` fields, computed from the domain.

Reads take the stored values of ``SHAPE`` in one statement through the read model
(``leadbook.readmodel``: the visibility rule inside it); ``views`` computes the same
values from ORM rows and stays the reference (a test holds both equal), used only for a
lead its writer no longer sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from leadbook.domain import clock, queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import NotFound
from leadbook.domain.filters import LeadFilter
from leadbook.models import Lead
from leadbook.readmodel import read
from leadbook.readmodel.shape import Flag, Number, Numbered, Obj, Ref, Value, When
from leadbook.xmlapi import fields, ids, steps

IMPORTANCES = {f"IMPORTANCE{n}": n for n in range(1, 6)}
# the stored values a <lead> is computed from, read in one statement
SHAPE = Obj(
    {
        "number": Value("number"),
        "manager": Numbered(ids.USER, "assigned_user_id"),
        "contact_name": Ref("contact", Value("display_name")),
        "contact_type": Ref("contact", Value("type")),
        "contact_state": Ref("contact", Value("life_cycle_state")),
        "contact_number": Numbered(ids.CONTACT, "contact_id"),
        "category": Numbered(ids.CATEGORY, "category_id"),
        "topic": Value("topic"),
        "is_engaged": Flag("is_engaged"),
        "importance": Value("importance"),
        "value": Number("target_amount"),
        "value_date": When("expected_completion_date"),
        "confidence_pct": Number("probability_to_win"),
        "project_id": Value("project_ref"),
        "description": Value("description"),
        "learning_on_customer": Value("learning_on_customer"),
        "learning_on_sales_tools": Value("learning_on_sales_tools"),
        "learning_on_products": Value("learning_on_products"),
        "state": Value("life_cycle_state"),
        "status_code": Ref("status", Value("alternative_code")),
        "lost_reason": Ref("lost_reason", Value("name")),
        "created_at": When("created_date"),
        "updated_at": When("updated_date"),
    }
)


def importance_of(importance: str) -> int:
    """Returns IMPORTANCE1..5 as 1..5; a custom importance (CUSTOM1..3) shows as 0."""
    return IMPORTANCES.get(importance, 0)


def step_of(lead: Lead) -> steps.Step:
    """Returns the step the lead is at."""
    return steps.step_of(lead.life_cycle_state, lead.status.alternative_code)


def shown(db: Session, actor: Actor, number: str) -> dict[str, str]:
    """Returns the element texts of the lead numbered ``number`` that ``actor`` sees, or
    raises NotFound (LeadMerged for a merged one)."""
    if not number.isascii() or not number.isdigit() or len(number) > 9:
        raise NotFound(f"There is no lead {number!r}")
    condition = Lead.number == int(number)
    found = read.one(db, actor, SHAPE, condition, clock.now())
    if found is None:
        queries.refuse_merged(db, actor, condition, "id")
        raise NotFound(f"No lead has number {number!r} (id)", field="id")
    return _texts(found)


def listed(db: Session, actor: Actor, offset: int, size: int) -> list[dict[str, str]]:
    """Returns the element texts of a page of the leads ``actor`` sees, by number."""
    rows = read.page(db, actor, SHAPE, LeadFilter(), clock.now(), offset=offset, limit=size)
    return [_texts(row) for row in rows]


def lead_view(db: Session, actor: Actor, lead: Lead) -> dict[str, str]:
    """Returns the element texts of ``lead`` as stored (flushed first); from its ORM row
    when a change took it out of ``actor``'s sight (it is still the answer to it)."""
    db.flush()
    found = read.one(db, actor, SHAPE, Lead.id == lead.id, clock.now())
    return views(db, [lead])[0] if found is None else _texts(found)


def _texts(row: dict[str, Any]) -> dict[str, str]:
    """Returns the element texts from the values ``SHAPE`` read."""
    is_company = row["contact_type"] == "COMPANY"
    engaged = row["is_engaged"]
    values = {
        **row,
        "id": row["number"],
        "manager_id": row["manager"],
        "client_name": row["contact_name"],
        "contact_id": 0 if is_company else row["contact_number"],
        "firm_id": row["contact_number"] if is_company else 0,
        "is_engaged": row["contact_state"] == "FINANCIAL" if engaged is None else engaged,
        "importance": importance_of(row["importance"]),
        "product_category_id": row["category"],
        "value_date": _when(row["value_date"]),
        fields.STEP: steps.step_of(row["state"], row["status_code"]).code,
        "created_at": _when(row["created_at"]),
        "updated_at": _when(row["updated_at"]),
    }
    return {name: fields.write(name, values[name]) for name in fields.ORDER}


def _when(text: str | None) -> date | datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def views(db: Session, leads: Sequence[Lead]) -> list[dict[str, str]]:
    """Returns the element texts of each lead from its ORM row (the reference)."""
    users = ids.numbers_for(db, ids.USER, (lead.assigned_user_id for lead in leads))
    contacts = ids.numbers_for(db, ids.CONTACT, (lead.contact_id for lead in leads))
    categories = ids.numbers_for(db, ids.CATEGORY, (lead.category_id for lead in leads))
    return [_view(lead, users, contacts, categories) for lead in leads]


def _view(lead: Lead, users: dict, contacts: dict, categories: dict) -> dict[str, str]:
    contact = lead.contact
    contact_number = contacts.get(lead.contact_id, 0)
    is_company = contact.type == "COMPANY"
    engaged = lead.is_engaged
    values = {
        "id": lead.number,
        "manager_id": users.get(lead.assigned_user_id or "", 0),
        "client_name": contact.display_name,
        "topic": lead.topic,
        "contact_id": 0 if is_company else contact_number,
        "firm_id": contact_number if is_company else 0,
        "is_engaged": contact.life_cycle_state == "FINANCIAL" if engaged is None else engaged,
        "importance": importance_of(lead.importance),
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
