"""Routes of the web face: login, pipeline board, lead list and detail, dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.deps import DbSession, FormFields
from leadbook.domain import leads as domain_leads
from leadbook.domain import lifecycle, queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import AuthenticationFailed, DomainError, InvalidValue, NotFound
from leadbook.faces import Face
from leadbook.models import LIFE_CYCLE_STATES, Lead, LostReason
from leadbook.web import board, forms, session

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["csrf_token"] = session.csrf_token
templates.env.filters["overdue"] = board.is_overdue
templates.env.globals["allowed_actions"] = lifecycle.allowed_actions

router = APIRouter(include_in_schema=False)
STATIC = {p.name: p for p in (HERE / "static").iterdir()}


def _actor(request: Request, db: Session = DbSession) -> Actor:
    return session.actor_of(db, request)


CurrentActor = Annotated[Actor, Depends(_actor)]


def _page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


@router.get("/")
def root() -> RedirectResponse:
    """Sends a browser to the pipeline board."""
    return RedirectResponse("/web/board", status_code=303)


@router.get("/web/static/{name}")
def static_file(name: str) -> FileResponse:
    """Serves a file shipped in the package's static folder."""
    if name not in STATIC:
        raise NotFound(f"There is no static file {name}")
    return FileResponse(STATIC[name], headers={"Cache-Control": "public, max-age=3600"})


@router.get("/web/login")
def login_form(request: Request) -> HTMLResponse:
    """Shows the login form."""
    return _page(request, "login.html", actor=None, error=None)


@router.post("/web/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Checks the credentials and starts a session held in an HttpOnly cookie."""
    user = tokens.authenticate(db, username, password)
    token = tokens.issue(db, user, ttl_seconds=session.TTL_SECONDS, label="web")
    response = RedirectResponse("/web/board", status_code=303)
    response.set_cookie(
        session.COOKIE,
        token,
        max_age=session.TTL_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/web/logout")
def logout(
    request: Request,
    actor: CurrentActor,
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Ends the session: revokes its token and drops the cookie."""
    session.check_csrf(request, csrf)
    tokens.release(db, request.cookies[session.COOKIE])
    response = RedirectResponse("/web/login", status_code=303)
    response.delete_cookie(session.COOKIE, path="/")
    return response


@router.get("/web/board")
def pipeline(
    request: Request, actor: CurrentActor, type: str = "", db: Session = DbSession
) -> HTMLResponse:
    """Shows the board of one lead type: a column per status, a card per lead."""
    types = board.lead_types(db)
    chosen = next((t for t in types if t.id == type), types[0] if types else None)
    cols = board.columns(db, chosen) if chosen else []
    reasons = list(db.scalars(select(LostReason).order_by(LostReason.name)))
    return _page(
        request,
        "board.html",
        actor=actor,
        types=types,
        chosen=chosen,
        columns=cols,
        reasons=reasons,
    )


@router.get("/web/leads")
def lead_list(
    request: Request,
    actor: CurrentActor,
    type: str = "",
    state: str = "",
    importance: str = "",
    q: str = "",
    sort: str = "number",
    desc: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    db: Session = DbSession,
) -> HTMLResponse:
    """Lists leads with the filters of leads/list, sorting and paging."""
    filters = board.Filters(type, state, importance, q.strip(), sort, desc, page, size)
    rows, total = board.search(db, filters)
    return _page(
        request,
        "leads.html",
        actor=actor,
        leads=rows,
        total=total,
        pages=max(1, -(-total // size)),
        f=filters,
        types=board.lead_types(db),
        states=LIFE_CYCLE_STATES,
        sortable=list(board.SORTABLE),
    )


@router.get("/web/leads/new")
def new_lead(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Shows the form for a new lead."""
    return _form(request, db, actor, forms.LeadForm({"priority": "3"}), None)


@router.post("/web/leads/new")
def create_lead(
    request: Request, actor: CurrentActor, fields: dict = FormFields, db: Session = DbSession
):
    """Creates a lead from the form; a refusal shows the form again with the reason."""
    form = forms.LeadForm(fields)
    session.check_csrf(request, form.get("csrf"))
    try:
        lead = domain_leads.create(db, actor, form.changes(db, creating=True))
    except DomainError as exc:
        db.rollback()
        return _form(request, db, actor, form, None, exc)
    return RedirectResponse(f"/web/leads/{lead.number}", status_code=303)


@router.get("/web/leads/{number}/edit")
def edit_lead(
    request: Request, number: int, actor: CurrentActor, db: Session = DbSession
) -> HTMLResponse:
    """Shows the form to change a lead."""
    lead = _lead(db, number)
    return _form(request, db, actor, forms.LeadForm.of(lead), lead)


@router.post("/web/leads/{number}/edit")
def update_lead(
    request: Request,
    number: int,
    actor: CurrentActor,
    fields: dict = FormFields,
    db: Session = DbSession,
):
    """Changes a lead from the form; a refusal shows the form again with the reason."""
    form = forms.LeadForm(fields)
    session.check_csrf(request, form.get("csrf"))
    lead = _lead(db, number)
    try:
        version = int(form.get("version") or 0) or None
        domain_leads.update(
            db, actor, lead, form.changes(db, creating=False), expected_version=version
        )
    except DomainError as exc:
        db.rollback()
        return _form(request, db, actor, form, _lead(db, number), exc)
    return RedirectResponse(f"/web/leads/{number}", status_code=303)


@router.post("/web/leads/{number}/move")
def move_lead(
    request: Request,
    number: int,
    actor: CurrentActor,
    action: Annotated[str, Form()] = "",
    lost_reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Starts progress on, wins, loses (with a reason) or cancels a lead."""
    session.check_csrf(request, csrf)
    lead = _lead(db, number)
    if action == "lose":
        reason = db.get(LostReason, lost_reason) if lost_reason else None
        lifecycle.lose(db, actor, lead, reason)
    elif action in ("start_progress", "win", "cancel"):
        getattr(lifecycle, action)(db, actor, lead)
    else:
        raise InvalidValue(f"Unknown move {action!r}")
    target = back if back.startswith("/web/") else f"/web/leads/{number}"
    return RedirectResponse(target, status_code=303)


def _lead(db: Session, number: int) -> Lead:
    lead = queries.by_number(db, number)
    if lead is None:
        raise NotFound(f"There is no lead number {number}")
    return lead


def _form(request, db, actor, form, lead, error: DomainError | None = None) -> HTMLResponse:
    return _page(
        request,
        "lead_form.html",
        422 if error else 200,
        actor=actor,
        form=form,
        lead=lead,
        error=error.message if error else None,
        **forms.choices(db),
    )


@router.get("/web/leads/{number}")
def lead_detail(
    request: Request, number: int, actor: CurrentActor, db: Session = DbSession
) -> HTMLResponse:
    """Shows every field of one lead, its sets and its history."""
    lead = _lead(db, number)
    return _page(
        request,
        "lead.html",
        actor=actor,
        lead=lead,
        events=queries.history(db, lead),
        actions=lifecycle.allowed_actions(lead),
        reasons=forms.choices(db)["reasons"],
    )


@router.get("/web/dashboard")
def dashboard(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Shows the funnel by state, the win rate and the weighted pipeline value."""
    figures = board.dashboard(db)
    top = max((n for _, n in figures.funnel), default=0) or 1
    return _page(request, "dashboard.html", actor=actor, d=figures, top=top)


def render_error(request: Request, exc: DomainError):
    """Sends an unauthenticated browser to the login page; shows any other refusal's message."""
    if isinstance(exc, AuthenticationFailed) and request.url.path != "/web/login":
        return RedirectResponse("/web/login", status_code=303)
    name = "error_fragment.html" if request.headers.get("hx-request") else "error.html"
    if request.url.path == "/web/login":
        return _page(request, "login.html", exc.http_status, actor=None, error=exc.message)
    return _page(request, name, exc.http_status, actor=None, error=exc)


face = Face(router=router, prefix="/web", render_error=render_error)
