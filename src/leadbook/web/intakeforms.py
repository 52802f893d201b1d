"""The web forms page: each intake form with the HTML snippet to embed it (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.intake.snippet import snippet
from leadbook.models import IntakeForm
from leadbook.web.page import CurrentActor, admin_only, render

router = APIRouter(include_in_schema=False)


@router.get("/web/intake-forms")
def intake_forms(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Shows every intake form and its embeddable snippet."""
    admin_only(actor, "the intake forms")
    forms = db.scalars(select(IntakeForm).order_by(IntakeForm.key)).all()
    base = str(request.base_url)
    shown = [(form, snippet(form, base)) for form in forms]
    return render(request, "intake_forms.html", actor=actor, forms=shown)
