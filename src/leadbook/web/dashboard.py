"""The dashboard: the funnel by state, the win rate, the weighted pipeline value, the
leads in breach of their first-response or rotting target."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.web import board, marks
from leadbook.web.page import CurrentActor, render

router = APIRouter(include_in_schema=False)


@router.get("/web/dashboard")
def dashboard(
    request: Request, actor: CurrentActor, type: str = "", db: Session = DbSession
) -> HTMLResponse:
    """Shows the funnel by state, the win rate and the weighted pipeline value, of every
    lead or of one lead type."""
    types = board.lead_types(db)
    chosen = next((t for t in types if t.id == type), None)
    figures = board.dashboard(db, actor, chosen)
    top = max((n for _, n in figures.funnel), default=0) or 1
    return render(
        request,
        "dashboard.html",
        actor=actor,
        d=figures,
        top=top,
        types=types,
        chosen=chosen,
        breaches=marks.breach_counts(db, actor, chosen),
    )
