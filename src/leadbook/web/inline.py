"""Inline edit on the lead list: a few fields of a row (priority, amount, expected
completion) edited in place. A click asks for the cell as a small form (htmx swaps it
in), saving goes through the lead's update with the version the row showed, and the row
is rendered again; a refusal (a bad value, a stale version) shows the message in the
cell and changes nothing. Without JavaScript the cells link to the lead's edit page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from leadbook.deps import DbSession, FormFields
from leadbook.domain import access, leads
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict, DomainError, NotFound
from leadbook.models import Lead
from leadbook.web import fieldnames, forms, marks, session, urls
from leadbook.web.page import CurrentActor, lead_of, render, whole

router = APIRouter(include_in_schema=False)
FIELDS = ("priority", "target_amount", "expected_completion_date")


def _editable(db: Session, actor: Actor, number: int, name: str) -> Lead:
    """Returns lead ``number`` when ``actor`` may change its field ``name`` now."""
    if name not in FIELDS:
        raise NotFound(f"The list does not edit {name!r} in place")
    lead = lead_of(db, actor, number)
    access.permit(db, actor, "update", lead)
    leads.check_open(lead)
    return lead


@router.get("/web/leads/{number}/cell/{name}")
def cell(
    request: Request,
    number: int,
    name: str,
    actor: CurrentActor,
    edit: bool = False,
    db: Session = DbSession,
) -> HTMLResponse:
    """Returns cell ``name`` of lead ``number``'s row as a form (``edit``) or as shown
    (cancelling one)."""
    lead = _editable(db, actor, number, name)
    typed = forms.LeadForm.of(lead).get(name) if edit else None
    return render(
        request,
        "_cell.html",
        actor=actor,
        lead=lead,
        field=name,
        editing=name if edit else None,
        typed=typed,
    )


@router.post("/web/leads/{number}/cell/{name}")
def save_cell(
    request: Request,
    number: int,
    name: str,
    actor: CurrentActor,
    fields: dict = FormFields,
    db: Session = DbSession,
):
    """Saves cell ``name`` of lead ``number`` through ``leads.update`` (``version``: the
    one the row showed) and returns the row; a refusal returns the row with the cell's
    form, the value as typed and the message beside it (the refusal's status)."""
    form = forms.LeadForm({key: fields[key] for key in ("version", name) if key in fields})
    session.check_csrf(request, fields.get("csrf"))
    lead = _editable(db, actor, number, name)
    version = whole(form.get("version"))
    try:
        changes = form.changes(db, original=forms.LeadForm.of(lead))
        if changes.values:
            leads.update(db, actor, lead, changes, expected_version=version)
    except DomainError as exc:
        db.rollback()
        fresh = lead_of(db, actor, number)
        # a stale row is shown as now stored; saving again then overwrites knowingly
        shown = fresh.version if isinstance(exc, Conflict) else version
        if not request.headers.get("hx-request"):
            raise
        return _row(
            request,
            db,
            actor,
            fresh,
            name,
            exc.http_status,
            form.get(name),
            shown,
            fieldnames.worded(exc),
        )
    if not request.headers.get("hx-request"):
        return urls.redirect(request, f"/web/leads/{number}")
    return _row(request, db, actor, lead, None)


def _row(
    request, db, actor, lead, editing, status_code=200, typed=None, version=None, error=None
) -> HTMLResponse:
    return render(
        request,
        "_lead_row.html",
        status_code,
        actor=actor,
        lead=lead,
        marks=marks.marks(db, [lead]),
        editing=editing,
        typed=typed,
        version=version,
        cell_error=error,
    )
