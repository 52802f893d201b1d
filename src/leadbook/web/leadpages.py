"""The lead pages: the list, the detail, the new and edit forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from leadbook.deps import DbSession, FormFields
from leadbook.domain import access, contacts, leads
from leadbook.domain.errors import DomainError
from leadbook.web import detail, fieldnames, forms, listpage, session, urls
from leadbook.web.filters import Filters, from_address
from leadbook.web.page import CurrentActor, lead_of, render, whole

router = APIRouter(include_in_schema=False)


@router.get("/web/leads")
def lead_list(
    request: Request,
    actor: CurrentActor,
    filters: Annotated[Filters, Depends(from_address)],
    db: Session = DbSession,
) -> HTMLResponse:
    """Lists leads with the filters of leads/list and the board's (owner: my leads by
    default, source, dates, amount), sorting and paging."""
    return listpage.show(request, db, actor, filters)


@router.get("/web/leads/statuses")
def status_options(
    request: Request,
    actor: CurrentActor,
    type: str = "",
    blank: bool = True,
    db: Session = DbSession,
) -> HTMLResponse:
    """Returns the status options of lead type ``type`` (with the new form's blank "the
    type's default" unless ``blank`` is false): the form's status select refreshed (htmx)
    when its type changes."""
    return render(
        request,
        "_status_options.html",
        statuses=forms.choices(db, type)["statuses"],
        form=forms.LeadForm({"type": type}),
        blank=blank,
    )


@router.get("/web/contacts/suggest")
def contact_suggestions(
    request: Request, actor: CurrentActor, contact: str = "", db: Session = DbSession
) -> HTMLResponse:
    """Returns the lead form's contact suggestions for the text typed (``contact``): the
    first contacts holding every word of it, as listbox options (an htmx fragment)."""
    found = contacts.suggest(db, contact)
    return render(
        request,
        "_contact_options.html",
        found=[(contacts.label(c), c) for c in found],
        asked=contact.strip(),
    )


@router.get("/web/leads/new")
def new_lead(
    request: Request, actor: CurrentActor, type: str = "", status: str = "", db: Session = DbSession
) -> HTMLResponse:
    """Shows the form for a new lead (403 to a user who may not create one), with the lead
    type and status of the address chosen (a board column's "+")."""
    access.permit(db, actor, "create")
    return _form(request, db, actor, forms.LeadForm.blank(type=type, status=status), None)


@router.post("/web/leads/new")
def create_lead(
    request: Request, actor: CurrentActor, fields: dict = FormFields, db: Session = DbSession
):
    """Creates a lead from the form; a refusal shows the form again with the domain's
    message (status 422) and stores nothing, not even a new contact."""
    form = forms.LeadForm(fields)
    session.check_csrf(request, form.get("csrf"))
    access.permit(db, actor, "create")  # before reading the form: 403, not its faults
    try:
        lead = leads.create(db, actor, form.changes(db))
    except DomainError as exc:
        db.rollback()
        return _form(request, db, actor, form, None, exc)
    return urls.redirect(request, f"/web/leads/{lead.number}")


@router.get("/web/leads/{number}/edit")
def edit_lead(
    request: Request, number: int, actor: CurrentActor, db: Session = DbSession
) -> HTMLResponse:
    """Shows the form to change a lead (403 to a user who may not change it)."""
    lead = lead_of(db, actor, number)
    access.permit(db, actor, "update", lead)
    leads.check_open(lead)  # a closed lead's form is refused before it is filled in
    return _form(request, db, actor, forms.LeadForm.of(lead), lead)


@router.post("/web/leads/{number}/edit")
def update_lead(
    request: Request,
    number: int,
    actor: CurrentActor,
    fields: dict = FormFields,
    db: Session = DbSession,
):
    """Changes a lead from the form (the fields changed since the form was shown); a
    refusal shows the form again with the domain's message (422) and changes nothing."""
    form = forms.LeadForm(fields)
    session.check_csrf(request, form.get("csrf"))
    lead = lead_of(db, actor, number)
    access.permit(db, actor, "update", lead)
    leads.check_open(lead)  # the refusal page, not the form again: it cannot be edited
    try:
        version = whole(form.get("version"))
        changes = form.changes(db, original=forms.LeadForm.of(lead))
        leads.update(db, actor, lead, changes, expected_version=version)
    except DomainError as exc:
        db.rollback()
        return _form(request, db, actor, form, lead_of(db, actor, number), exc)
    return urls.redirect(request, f"/web/leads/{number}")


@router.get("/web/leads/{number}")
def lead_detail(
    request: Request, number: int, actor: CurrentActor, db: Session = DbSession
) -> HTMLResponse:
    """Shows every field of one lead, its sets and its history."""
    return detail.page(request, db, actor, lead_of(db, actor, number))


def _form(request, db, actor, form, lead, error: DomainError | None = None) -> HTMLResponse:
    return render(
        request,
        "lead_form.html",
        422 if error else 200,
        actor=actor,
        form=form,
        lead=lead,
        error=fieldnames.worded(error) if error else None,
        error_input=fieldnames.input_of(error),
        **forms.choices(db, form.get("type")),
    )
