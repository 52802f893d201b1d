"""The lead list page as every route showing it renders it: one page of leads with the
saved views bar, the bulk toolbar and the inline edit cells; a refused save or a bulk
action's report is shown on it."""

from __future__ import annotations

import dataclasses

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import savedviews
from leadbook.domain.actor import Actor
from leadbook.models import LIFE_CYCLE_STATES, LeadStatus, LeadType
from leadbook.web import board, marks
from leadbook.web.filters import Filters, choices, query_of
from leadbook.web.page import render


def show(
    request: Request,
    db: Session,
    actor: Actor,
    filters: Filters,
    status_code: int = 200,
    **extra,
) -> HTMLResponse:
    """Renders one page of the list for ``filters`` (a page past the last shows the last,
    saying so; a count stopped at its cap shows "1,000+", ``board.search``); ``extra``
    adds to what the template gets (a form's error, a report)."""
    asked = filters.page
    rows, total, more = board.search(db, actor, filters)
    last = max(1, -(-total // filters.size))
    if filters.page > last:  # past the last page: show the last one (and say so)
        filters = dataclasses.replace(filters, page=last)
        rows, total, more = board.search(db, actor, filters)
    picks = choices(db)
    extra.setdefault("view_error", None)
    extra.setdefault("report", None)
    return render(
        request,
        "leads.html",
        status_code,
        actor=actor,
        leads=rows,
        marks=marks.marks(db, rows),
        total=total,
        more=more,
        pages=last,
        asked=asked,
        f=filters,
        here=query_of(filters, page=True),
        view_query=query_of(filters),
        views=savedviews.listed(db, actor),
        may_share=actor.user.role in savedviews.SHARERS,
        types=board.lead_types(db),
        states=LIFE_CYCLE_STATES,
        status_groups=_status_groups(db, filters.type_id),
        sortable=list(board.SORTABLE),
        **picks,
        users=picks["owners"],
        units=list(db.scalars(select(m.Unit).order_by(m.Unit.name))),
        reasons=list(db.scalars(select(m.LostReason).order_by(m.LostReason.name))),
        **extra,
    )


def _status_groups(db: Session, type_id: str) -> list[tuple[LeadType, list[LeadStatus]]]:
    """The list's status choices: the chosen type's, or every type's under its name."""
    types = board.lead_types(db)
    chosen = [t for t in types if t.id == type_id] or types
    return [(t, board.statuses_of(t)) for t in chosen]
