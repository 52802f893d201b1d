"""What every page of the web face uses: the templates, the signed-in actor, the lead
of a URL, the row a form chose."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain import access, clock, due, lifecycle, queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import NotFound, PermissionDenied
from leadbook.domain.workflow import notify
from leadbook.models import Lead
from leadbook.web import fieldnames, session, urls

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates", context_processors=[urls.context])
# the templates are the package's: read once per process, not checked on disk at each use
templates.env.auto_reload = False
templates.env.globals["csrf_token"] = session.csrf_token
templates.env.filters["overdue"] = lambda lead: due.is_overdue(lead, clock.now())
templates.env.globals["allowed_actions"] = lifecycle.allowed_actions
templates.env.globals["can"] = access.can
templates.env.filters["worded"] = fieldnames.worded


@dataclass(frozen=True)
class Header:
    """What the page header shows of the signed-in user, read once when the session is
    resolved: an error page rendered after the request's rollback still shows it."""

    name: str
    is_admin: bool
    may_create: bool
    may_merge: bool


def header(request: Request) -> Header | None:
    """Returns the header of the request's signed-in user, None before one is resolved."""
    return getattr(request.state, "header", None)


templates.env.globals["session_header"] = header


def signed_in(request: Request, db: Session = DbSession) -> Actor:
    """Returns the session's actor (AuthenticationFailed without one), noting what the page
    header shows of them."""
    actor = session.actor_of(db, request)
    request.state.header = Header(
        name=actor.user.person_name or actor.user.username,
        is_admin=actor.user.is_admin,
        may_create=access.can(actor, "create"),
        may_merge=access.can(actor, "merge"),
    )
    request.state.unread = notify.unread_count(db, actor.user)  # the header's bell
    return actor


CurrentActor = Annotated[Actor, Depends(signed_in)]


def admin_only(actor: Actor, what: str) -> None:
    """Refuses ``actor`` (403) unless an administrator: only they see ``what``."""
    if not actor.user.is_admin:
        raise PermissionDenied(f"Only administrators see {what}")


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    """Returns template ``name`` rendered with ``context``."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def chosen_row(db: Session, model: type, row_id: str, label: str):
    """Returns the ``model`` row a form chose by id (None when none was), else NotFound."""
    if not row_id:
        return None
    row = db.get(model, row_id)
    if row is None:
        raise NotFound(f"The {label} chosen does not exist any more")
    return row


def whole(text: str) -> int | None:
    """Returns the whole number a form field holds, or None."""
    return int(text) if text.isdigit() else None


def lead_of(db: Session, actor: Actor, number: int) -> Lead:
    """Returns the lead numbered ``number`` if ``actor`` sees it, else NotFound."""
    lead = queries.by_number(db, actor, number)
    if lead is None:
        raise NotFound(f"There is no lead number {number}")
    return lead
