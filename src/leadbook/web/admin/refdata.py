"""The reference data pages: each section's rows and a form for a new one, a row's form
(change, rename) and its Delete, through ``refdata.edits`` as the admin API. A refusal
shows the form again as typed, the message next to its field, and changes nothing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from leadbook.deps import DbSession, FormFields
from leadbook.domain.errors import DomainError, NotFound
from leadbook.refdata import config, edits
from leadbook.web import session, urls
from leadbook.web.admin import fields, paging
from leadbook.web.admin.guard import Administrator, Refusal
from leadbook.web.page import render

router = APIRouter(include_in_schema=False)
BASE = "/web/admin/data"


def _spec(section: str) -> config.Section:
    """Returns the section the pages edit named ``section``, or NotFound."""
    if section not in fields.TITLES:
        raise NotFound(f"There is no reference data page {section!r}")
    return config.BY_NAME[section]


def _rows(db: Session, spec: config.Section, page: int) -> paging.Paged:
    """Returns page ``page`` of the rows of ``spec`` by key, each with its values as the
    form shows them."""
    related = [*spec.refs, *(["statuses"] if spec.name == "lead_types" else [])]
    found = (
        select(spec.model)
        .options(*(selectinload(getattr(spec.model, name)) for name in related))
        .order_by(getattr(spec.model, spec.key))
    )
    paged = paging.page_of(db, found, page, f"{BASE}/{spec.name}")
    shown = [(row, fields.current(spec, row)) for row in paged.rows]
    return paging.Paged(shown, paged.page, paged.more, paged.path)


@router.get(BASE + "/{section}")
def section_page(
    request: Request,
    section: str,
    actor: Administrator,
    page: paging.PageNumber = 1,
    db: Session = DbSession,
) -> HTMLResponse:
    """Shows the rows of ``section`` (100 a page) and the form for a new one."""
    return _section(request, db, _spec(section), {}, page=page)


@router.post(BASE + "/{section}")
def create_row(
    request: Request,
    section: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Creates a row from the form; a refusal shows the form again (422 or 409)."""
    session.check_csrf(request, form.get("csrf"))
    spec = _spec(section)
    try:
        edits.create(db, actor, spec, fields.posted(spec, form))
    except DomainError as exc:
        db.rollback()
        return _section(request, db, spec, form, exc)
    return urls.redirect(request, f"{BASE}/{section}")


@router.get(BASE + "/{section}/{row_id}")
def row_page(
    request: Request, section: str, row_id: str, actor: Administrator, db: Session = DbSession
) -> HTMLResponse:
    """Shows the form of one row, and its Delete."""
    spec = _spec(section)
    row = edits.by_id(db, spec, row_id)
    return _row(request, db, spec, row, fields.current(spec, row))


@router.post(BASE + "/{section}/{row_id}")
def change_row(
    request: Request,
    section: str,
    row_id: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Changes (or renames) one row from the form; a refusal shows the form again."""
    session.check_csrf(request, form.get("csrf"))
    spec = _spec(section)
    row = edits.by_id(db, spec, row_id)
    try:
        edits.change(db, actor, spec, row, fields.posted(spec, form))
    except DomainError as exc:
        db.rollback()
        return _row(request, db, spec, edits.by_id(db, spec, row_id), form, exc)
    return urls.redirect(request, f"{BASE}/{section}/{row_id}")


@router.post(BASE + "/{section}/{row_id}/delete")
def delete_row(
    request: Request,
    section: str,
    row_id: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Deletes one row; a row still in use is refused next to the Delete button."""
    session.check_csrf(request, form.get("csrf"))
    spec = _spec(section)
    row = edits.by_id(db, spec, row_id)
    try:
        edits.delete(db, actor, spec, row)
    except DomainError as exc:
        db.rollback()
        row = edits.by_id(db, spec, row_id)
        labels = {f.name: f.label for f in fields.fields(spec)}
        refusal = Refusal(exc.worded(labels), "delete")
        return _row(request, db, spec, row, fields.current(spec, row), refusal=refusal, code=409)
    return urls.redirect(request, f"{BASE}/{section}")


def _refusal(spec: config.Section, exc: DomainError | None) -> Refusal | None:
    """Returns ``exc`` as the section's form shows it (None: no refusal)."""
    if exc is None:
        return None
    names = {f.name for f in fields.fields(spec)} | {"statuses"}
    return Refusal.of(exc, {name: fields.label(name) for name in names}, names)


def _section(request, db, spec, form, exc: DomainError | None = None, page=1) -> HTMLResponse:
    """The section's page: its rows and the new row's form (as typed after a refusal)."""
    return render(
        request,
        "admin/section.html",
        exc.http_status if exc else 200,
        spec=spec,
        title=fields.TITLES[spec.name],
        fields=fields.fields(spec),
        options=fields.choices(db, spec),
        statuses=fields.statuses(db) if spec.name == "lead_types" else [],
        paged=_rows(db, spec, page),
        form=form,
        refusal=_refusal(spec, exc),
    )


def _row(request, db, spec, row, form, exc=None, *, refusal=None, code=200) -> HTMLResponse:
    """One row's page: its form (as typed after a refusal) and its Delete."""
    return render(
        request,
        "admin/row.html",
        exc.http_status if exc else code,
        spec=spec,
        title=fields.TITLES[spec.name],
        row=row,
        fields=fields.fields(spec),
        options=fields.choices(db, spec),
        statuses=fields.statuses(db) if spec.name == "lead_types" else [],
        form=form,
        refusal=refusal or _refusal(spec, exc),
    )
