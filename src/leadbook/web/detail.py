"""A lead's page: every field, its sets with the catalog to add from, its timeline (notes,
activities and changes, worded by the domain) with the forms to add to it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse
from sqlalchemy import select

from leadbook.domain import access, clock, identifiers, scoring, vocabulary
from leadbook.domain.errors import DomainError
from leadbook.domain.workflow import timeline
from leadbook.models import ActivityKind, Competitor, Lead, LostReason, Product, User
from leadbook.models.lead import UDF_DATES, UDF_FLOATS, UDF_STRINGS
from leadbook.web import marks
from leadbook.web.page import render

UDFS = (*UDF_STRINGS, *UDF_FLOATS, *UDF_DATES)
# a products item is chosen as "<field>:<id>": a product, or a type, brand or family of them
CATALOG = {field: identifiers.KINDS[field] for field in vocabulary.PRODUCT_FIELDS}


def _label_of(model: type[Any]):
    """The column a catalog row is known by on the page."""
    return model.code if model is Product else model.name


def page(request, db, actor, lead: Lead, error: DomainError | None = None) -> HTMLResponse:
    """Shows ``lead`` (with the refusal ``error`` when given, under its status code)."""
    return render(
        request,
        "lead.html",
        error.http_status if error else 200,
        actor=actor,
        lead=lead,
        error=error,
        editable=lead.life_cycle_state in vocabulary.OPEN_STATES
        and access.can(actor, "update", lead),
        timeline=timeline.of_lead(db, lead),
        marks=marks.marks(db, [lead]),
        kinds=[kind.value for kind in ActivityKind],
        noting=access.can(actor, "note", lead),
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
