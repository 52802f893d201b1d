"""``GET /api/reports/{funnel,conversion,time-to-win,time-in-status,activity}``: the
domain's reports over the leads the caller sees, as JSON or (``format=csv``) CSV.

Every report takes ``since`` and ``until`` (the period, a day or a UTC time; ``until``
excluded), ``lead_type``, ``unit`` and ``user`` (by name / username). Authenticated like
the change feed (Bearer token or ``X-Api-Key``); refusals in the admin API's JSON style,
naming the parameter at fault.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from leadbook.admin.routes import render_error
from leadbook.auth.callers import api_caller
from leadbook.deps import DbSession
from leadbook.domain.reports import activity, conversion, durations, funnel
from leadbook.domain.reports.stats import Summary
from leadbook.faces import Face
from leadbook.reports import tables
from leadbook.reports.params import report_filter, wants_csv

PREFIX = "/api/reports"
router = APIRouter(prefix=PREFIX, tags=["Reports"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)
RISKY = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would read these as a formula


def csv_response(name: str, table: tables.Table) -> Response:
    """Returns ``table`` as a CSV download named ``name``.csv (text that a spreadsheet
    would take for a formula is quoted with a leading apostrophe)."""
    out = io.StringIO()
    writer = csv.writer(out)
    header, rows = table
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + c if isinstance(c, str) and c.startswith(RISKY) else c for c in row])
    disposition = f'attachment; filename="{name}.csv"'
    return Response(
        out.getvalue(), media_type="text/csv", headers={"Content-Disposition": disposition}
    )


@router.get("/funnel", response_model=funnel.Funnel)
def funnel_report(request: Request, db: Session = DbSession) -> Any:
    """Returns the funnel of ``lead_type`` (mandatory): per status of its pipeline, the
    leads that first entered it in the period, and the drop-off to the next."""
    actor = api_caller(request, db, "api")
    report = funnel.funnel(db, actor, report_filter(db, request.query_params))
    if wants_csv(request.query_params):
        return csv_response("funnel", tables.funnel(report))
    return report


@router.get("/conversion", response_model=list[conversion.Row])
def conversion_report(request: Request, db: Session = DbSession) -> Any:
    """Returns conversion and win rates of the leads created in the period, by ``by``:
    source_type (the default), source_name or attribution.<key> (attribution.utm_source)."""
    actor = api_caller(request, db, "api")
    params = request.query_params
    f = report_filter(db, params, extra=("by",))
    report = conversion.conversion(db, actor, f, params.get("by", "source_type"))
    if wants_csv(params):
        return csv_response("conversion", tables.conversion(report))
    return report


@router.get("/time-to-win", response_model=Summary)
def time_to_win_report(request: Request, db: Session = DbSession) -> Any:
    """Returns how many leads were won in the period and the median and 90th percentile
    of their time from creation to win, in seconds."""
    actor = api_caller(request, db, "api")
    report = durations.time_to_win(db, actor, report_filter(db, request.query_params))
    if wants_csv(request.query_params):
        return csv_response("time-to-win", tables.time_to_win(report))
    return report


@router.get("/time-in-status", response_model=list[durations.StatusTime])
def time_in_status_report(request: Request, db: Session = DbSession) -> Any:
    """Returns, per status, the stays that ended in the period: how many, their median
    and 90th percentile in seconds."""
    actor = api_caller(request, db, "api")
    report = durations.time_in_status(db, actor, report_filter(db, request.query_params))
    if wants_csv(request.query_params):
        return csv_response("time-in-status", tables.time_in_status(report))
    return report


@router.get("/activity", response_model=list[activity.UserActivity])
def activity_report(request: Request, db: Session = DbSession) -> Any:
    """Returns, per user, the changes made to leads in the period, in all and by action
    (``unit`` and ``user`` name the acting ones here)."""
    actor = api_caller(request, db, "api")
    report = activity.activity(db, actor, report_filter(db, request.query_params))
    if wants_csv(request.query_params):
        return csv_response("activity", tables.activity(report))
    return report
