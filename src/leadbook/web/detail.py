"""A lead's page: every field, its sets with the catalog to add from, its history."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.domain import access, clock, identifiers, queries, scoring, vocabulary
from leadbook.domain.errors import DomainError
from leadbook.models import (
    Competitor,
    Contact,
    Group,
    Lead,
    LeadCategory,
    LeadStatus,
    LeadType,
    LostReason,
    Product,
    Unit,
    User,
)
from leadbook.models.lead import UDF_DATES, UDF_FLOATS, UDF_STRINGS
from leadbook.web.page import render

UDFS = (*UDF_STRINGS, *UDF_FLOATS, *UDF_DATES)
# a products item is chosen as "<field>:<id>": a product, or a type, brand or family of them
CATALOG = {field: identifiers.KINDS[field] for field in vocabulary.PRODUCT_FIELDS}

# the rows a history entry names by id, shown by name
NAMED: dict[str, tuple[type[Any], str]] = {
    "type_id": (LeadType, "name"),
    "status_id": (LeadStatus, "name"),
    "category_id": (LeadCategory, "name"),
    "lost_reason_id": (LostReason, "name"),
    "assigned_user_id": (User, "username"),
    "lead_owner_id": (User, "username"),
    "source_user_id": (User, "username"),
    "assigned_unit_id": (Unit, "name"),
    "owned_by_group_id": (Group, "name"),
    "contact_id": (Contact, "display_name"),
    "source_contact_id": (Contact, "display_name"),
}


def _label_of(model: type[Any]):
    """The column a catalog row is known by on the page."""
    return model.code if model is Product else model.name


def _names(db: Session, events) -> dict[str, str]:
    """Returns a name for every row id the events' changes mention."""
    wanted: dict[str, set] = {}
    for event in events:
        for key, change in (event.changes or {}).items():
            if key in NAMED and isinstance(change, list):
                wanted.setdefault(key, set()).update(v for v in change if isinstance(v, str))
    names = {}
    for key, ids in wanted.items():
        model, attr = NAMED[key]
        for row in db.scalars(select(model).where(model.id.in_(ids))):
            names[row.id] = getattr(row, attr)
    return names


def page(request, db, actor, lead: Lead, error: DomainError | None = None) -> HTMLResponse:
    """Shows ``lead`` (with the refusal ``error`` when given, under its status code)."""
    events = queries.history(db, lead)
    return render(
        request,
        "lead.html",
        error.http_status if error else 200,
        actor=actor,
        lead=lead,
        error=error,
        editable=lead.life_cycle_state in vocabulary.OPEN_STATES
        and access.can(actor, "update", lead),
        events=events,
        names=_names(db, events),
        reasons=list(db.scalars(select(LostReason).order_by(LostReason.name))),
        competitors=list(db.scalars(select(Competitor).order_by(Competitor.name))),
        users=list(db.scalars(select(User).where(User.is_active).order_by(User.username))),
        catalog=[
            (field, list(db.scalars(select(kind.model).order_by(_label_of(kind.model)))))
            for field, kind in CATALOG.items()
        ],
        udfs=[(name, getattr(lead, name)) for name in UDFS],
        score_parts=scoring.explain(lead, scoring.active_rules(db), clock.now()),
    )
