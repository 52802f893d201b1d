"""The reports pages (``/web/reports``): a report chosen and filtered by a plain form, drawn
as HTML bars and a table, and its CSV download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.deps import DbSession
from leadbook.reports.catalog import REPORTS, report
from leadbook.reports.routes import csv_response
from leadbook.web import board
from leadbook.web.page import CurrentActor, render

router = APIRouter(include_in_schema=False)


def _given(request: Request) -> dict[str, str]:
    """The form's fields that were filled in (an empty field means "any")."""
    return {k: v for k, v in request.query_params.items() if v.strip()}


@router.get("/web/reports")
def reports_page(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Shows the report the form asks for (the funnel of the first type by default)."""
    given = _given(request)
    name = given.get("report", "funnel")
    types = board.lead_types(db)
    if name == "funnel" and "lead_type" not in given and types:
        given["lead_type"] = types[0].name
    chosen = report(name)
    header, rows = chosen.make(db, actor, given)
    column = header.index(chosen.bar)
    top = max((row[column] or 0 for row in rows), default=0) or 1
    return render(
        request,
        "reports.html",
        actor=actor,
        reports=REPORTS,
        report_name=name,
        chosen=chosen,
        given=given,
        header=header,
        rows=rows,
        column=column,
        top=top,
        types=types,
        units=list(db.scalars(select(m.Unit).order_by(m.Unit.name))),
        users=list(db.scalars(select(m.User).order_by(m.User.username))),
    )


@router.get("/web/reports.csv")
def reports_csv(request: Request, actor: CurrentActor, db: Session = DbSession) -> Response:
    """Downloads the report the form asks for as CSV."""
    given = _given(request)
    name = given.get("report", "funnel")
    return csv_response(name, report(name).make(db, actor, given))
