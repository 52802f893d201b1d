"""Adding to and taking off a lead's sets (competitors, team members, products) from its page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain import leads
from leadbook.domain.changes import LeadChanges, ProductItem, RowId, SetEdit
from leadbook.domain.errors import DomainError, InvalidValue
from leadbook.models import Competitor, User
from leadbook.web import detail, session, urls
from leadbook.web.page import CurrentActor, chosen_row, lead_of, whole

router = APIRouter(include_in_schema=False)
SETS = {
    "competitors": (Competitor, "competitor"),
    "users": (User, "team member"),
    "products": (None, "product"),
}


@router.post("/web/leads/{number}/sets")
def edit_set(
    request: Request,
    number: int,
    actor: CurrentActor,
    name: Annotated[str, Form()] = "",
    add: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "PRODUCT",
    remove: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
):
    """Adds a competitor, team member or products item to a lead (``add``; for products
    also ``kind``: PRODUCT, SERVICE or PHYSICAL_GOOD) or takes one off (``remove``: the id
    of the lead's row), through the domain's rules, as the API's set actions do; a refusal
    shows the lead with the message and changes nothing."""
    session.check_csrf(request, csrf)
    lead = lead_of(db, actor, number)
    try:
        if name not in SETS:
            raise InvalidValue(f"Unknown set {name!r}")
        if not add and not remove:
            raise InvalidValue(f"Choose a {SETS[name][1]} to add or remove")
        edit = SetEdit(
            add=[_set_item(db, name, add, kind)] if add else [],
            remove=[RowId(remove)] if remove else [],
        )
        named: dict[str, Any] = {name: edit}  # the set's field of LeadChanges
        changes = LeadChanges(**named)
        leads.update(db, actor, lead, changes, expected_version=whole(version))
    except DomainError as exc:
        db.rollback()
        return detail.page(request, db, actor, lead_of(db, actor, number), exc)
    return urls.redirect(request, f"/web/leads/{number}")


def _set_item(db: Session, name: str, chosen: str, kind: str):
    model, label = SETS[name]
    if model is not None:
        return chosen_row(db, model, chosen, label)
    field, _, row_id = chosen.partition(":")
    if field not in detail.CATALOG:
        raise InvalidValue(f"Choose a product, or a type, brand or family of them, not {chosen!r}")
    row = chosen_row(db, detail.CATALOG[field].model, row_id, detail.CATALOG[field].label)
    return ProductItem(kind, field, row)
