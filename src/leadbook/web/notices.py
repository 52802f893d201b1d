"""The notifications page: the signed-in user's notifications (the header's bell counts the
unread), marking them read, and how the user is notified (in the app only, or by email too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain.workflow import notify
from leadbook.web import session, urls
from leadbook.web.page import CurrentActor, render

router = APIRouter(include_in_schema=False)
PAGE = "/web/notifications"


@router.get(PAGE)
def notifications(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Lists the user's newest notifications."""
    rows = notify.of_user(db, actor.user)
    return render(request, "notifications.html", actor=actor, notifications=rows)


@router.post(PAGE + "/read")
def mark_read(
    request: Request,
    actor: CurrentActor,
    id: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Marks one notification read (``id``), or all of them."""
    session.check_csrf(request, csrf)
    notify.mark_read(db, actor.user, id or None)
    return urls.redirect(request, PAGE)


@router.post(PAGE + "/preferences")
def preferences(
    request: Request,
    actor: CurrentActor,
    email: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Sets whether the user is notified by email too."""
    session.check_csrf(request, csrf)
    notify.set_email(db, actor.user, email == "true")
    return urls.redirect(request, PAGE)
