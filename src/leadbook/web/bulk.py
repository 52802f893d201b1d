"""Bulk actions on the lead list's rows: assign, the life cycle moves, delete (after a
confirmation page), and CSV export of the rows chosen or of the whole filtered list.

Each lead goes through the domain function a single change uses (``leads.update``,
``lifecycle``, ``leads.delete``), in a savepoint of its own (``domain/batch.py``): the
leads it may change are changed, each refused one is left as it was, and the list shows
what happened ("3 moved; 1 refused: #142 …")."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session, selectinload

from leadbook import models as m
from leadbook.deps import DbSession
from leadbook.domain import batch, leads, lifecycle, queries
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges
from leadbook.domain.errors import DomainError, InvalidValue
from leadbook.ops.transfer.export import EXPORT_RELATIONS, row_of, write_csv
from leadbook.web import board, fieldnames, listpage, session
from leadbook.web.filters import filters_of
from leadbook.web.page import CurrentActor, chosen_row, render

router = APIRouter(include_in_schema=False)
VERBS = {
    "assign": "assigned",
    "start_progress": "started",
    "win": "won",
    "lose": "lost",
    "cancel": "cancelled",
    "delete": "deleted",
}
EXPORT_BATCH = 500


async def _posted(request: Request) -> dict[str, list[str]]:
    """Reads the posted form, every value of each field (the rows' checkboxes)."""
    form = await request.form()
    return {key: [str(value) for value in form.getlist(key)] for key in form}


Posted = Depends(_posted)


@dataclass(frozen=True)
class Report:
    """What a bulk action did: how many leads it changed, and each refusal, worded."""

    done: int
    verb: str
    refused: list[tuple[int, str]]


def numbers_of(posted: dict[str, list[str]]) -> list[int]:
    """Returns the lead numbers chosen: the rows ticked, or every row of the page when
    "select all on this page" is (its value lists them)."""
    chosen = list(posted.get("numbers", []))
    for listed in posted.get("page_numbers", []):
        chosen += listed.split(",")
    return [int(n) for n in chosen if n.strip().isdigit() and 0 < int(n) < 2**31]


@router.post("/web/leads/bulk")
def bulk(request: Request, actor: CurrentActor, posted=Posted, db: Session = DbSession):
    """Applies ``action`` to the leads chosen; shows the list again (``back``: its query)
    with what was done and what was refused. Delete shows a confirmation page first;
    export answers a CSV file."""

    def one(name: str) -> str:
        return (posted.get(name) or [""])[-1].strip()

    session.check_csrf(request, one("csrf"))
    filters = filters_of(one("back"))
    action = one("action")
    try:
        chosen, outcome = batch.leads_of(db, actor, numbers_of(posted))
        if action == "export":
            return _csv(iter(chosen), "leads-selected")
        if action == "delete" and one("confirmed") != "yes":
            return render(request, "bulk_delete.html", actor=actor, leads=chosen, back=one("back"))
        change = _change(db, actor, action, one)
    except DomainError as exc:
        db.rollback()
        return listpage.show(
            request, db, actor, filters, exc.http_status, bulk_error=fieldnames.worded(exc)
        )
    batch.each(db, chosen, change, outcome)
    refused = [(number, fieldnames.worded(exc)) for number, exc in outcome.refused]
    return listpage.show(
        request, db, actor, filters, report=Report(len(outcome.done), VERBS[action], refused)
    )


def _change(db: Session, actor: Actor, action: str, one) -> Callable[[m.Lead], object]:
    """Returns the domain write ``action`` makes on one lead, with the form's choices."""
    if action == "assign":
        values = {
            "assigned_user": chosen_row(db, m.User, one("assigned_user"), "user"),
            "assigned_unit": chosen_row(db, m.Unit, one("assigned_unit"), "unit"),
        }
        values = {key: value for key, value in values.items() if value is not None}
        if not values:
            raise InvalidValue("Choose a user or a unit to assign the leads to")
        return lambda lead: leads.update(db, actor, lead, LeadChanges(values=dict(values)))
    if action == "lose":
        reason = chosen_row(db, m.LostReason, one("lost_reason"), "lost reason")
        if reason is None:
            raise InvalidValue("Choose the reason the leads were lost", field="lost_reason")
        return lambda lead: lifecycle.lose(db, actor, lead, reason)
    if action in ("start_progress", "win", "cancel"):
        move = getattr(lifecycle, action)
        return lambda lead: move(db, actor, lead)
    if action == "delete":
        return lambda lead: leads.delete(db, actor, lead)
    raise InvalidValue(f"Unknown bulk action {action!r}")


@router.get("/web/leads/export")
def export_list(request: Request, actor: CurrentActor, db: Session = DbSession) -> Response:
    """Answers every lead of the filtered list (the list's own query string) as CSV, in
    the list's order: the columns of ``leadbook export``."""
    filters = filters_of(request.url.query)
    where = filters.lead_filter(db, actor)
    sort = board.SORTABLE.get(filters.sort, "number")

    listed = queries.page(actor, where, sort=sort, descending=filters.descending)
    related = [selectinload(getattr(m.Lead, name)) for name in EXPORT_RELATIONS]

    def rows() -> Iterator[m.Lead]:
        offset = 0
        while True:
            found = db.scalars(listed.offset(offset).limit(EXPORT_BATCH).options(*related)).all()
            yield from found
            if len(found) < EXPORT_BATCH:
                return
            offset += EXPORT_BATCH
            db.expunge_all()  # each batch's rows leave the session, as leadbook export's

    return _csv(rows(), "leads")


def _csv(chosen: Iterator[m.Lead], name: str) -> Response:
    """Returns ``chosen`` as a CSV download named ``name``.csv."""
    out = io.StringIO()
    write_csv((row_of(lead) for lead in chosen), out)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
