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
from leadbook.domain import identifiers, lifecycle, queries, vocabulary
from leadbook.domain import leads as domain_leads
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, ProductItem, RowId, SetEdit
from leadbook.domain.errors import (
    AuthenticationFailed,
    DomainError,
    InvalidLifeCycleState,
    InvalidValue,
    NotFound,
)
from leadbook.faces import Face
from leadbook.models import (
    LIFE_CYCLE_STATES,
    Competitor,
    Contact,
    Group,
    Lead,
    LeadCategory,
    LeadStatus,
    LeadType,
    LostReason,
    Product,
    Unit,
    User,
)
from leadbook.models.lead import UDF_DATES, UDF_FLOATS, UDF_STRINGS
from leadbook.web import board, forms, session

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["csrf_token"] = session.csrf_token
templates.env.filters["overdue"] = board.is_overdue
templates.env.globals["allowed_actions"] = lifecycle.allowed_actions

router = APIRouter(include_in_schema=False)
UDFS = (*UDF_STRINGS, *UDF_FLOATS, *UDF_DATES)
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


def _board(db: Session, type_id: str) -> dict:
    """Returns what the board shows for lead type ``type_id`` (the first type if unknown)."""
    types = board.lead_types(db)
    chosen = next((t for t in types if t.id == type_id), types[0] if types else None)
    return {
        "types": types,
        "chosen": chosen,
        "columns": board.columns(db, chosen) if chosen else [],
        "reasons": list(db.scalars(select(LostReason).order_by(LostReason.name))),
    }


@router.get("/web/board")
def pipeline(
    request: Request, actor: CurrentActor, type: str = "", db: Session = DbSession
) -> HTMLResponse:
    """Shows the board of one lead type: a column per status, a card per lead."""
    return _page(request, "board.html", actor=actor, error=None, notice=None, **_board(db, type))


@router.get("/web/leads")
def lead_list(
    request: Request,
    actor: CurrentActor,
    type: str = "",
    state: str = "",
    status: str = "",
    importance: str = "",
    q: str = "",
    sort: str = "number",
    desc: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    db: Session = DbSession,
) -> HTMLResponse:
    """Lists leads with the filters of leads/list, sorting and paging."""
    filters = board.Filters(type, state, status, importance, q.strip(), sort, desc, page, size)
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
        statuses=list(db.scalars(select(LeadStatus).order_by(LeadStatus.name))),
        sortable=list(board.SORTABLE),
    )


@router.get("/web/leads/new")
def new_lead(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Shows the form for a new lead."""
    return _form(request, db, actor, forms.LeadForm.blank(), None)


@router.post("/web/leads/new")
def create_lead(
    request: Request, actor: CurrentActor, fields: dict = FormFields, db: Session = DbSession
):
    """Creates a lead from the form; a refusal shows the form again with the domain's
    message (status 422) and stores nothing, not even a new contact."""
    form = forms.LeadForm(fields)
    session.check_csrf(request, form.get("csrf"))
    try:
        lead = domain_leads.create(db, actor, form.changes(db))
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
    """Changes a lead from the form (the fields changed since the form was shown); a
    refusal shows the form again with the domain's message (422) and changes nothing."""
    form = forms.LeadForm(fields)
    session.check_csrf(request, form.get("csrf"))
    lead = _lead(db, number)
    try:
        version = _whole(form.get("version"))
        changes = form.changes(db, original=forms.LeadForm.of(lead))
        domain_leads.update(db, actor, lead, changes, expected_version=version)
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
    status: Annotated[str, Form()] = "",
    view: Annotated[str, Form()] = "lead",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
):
    """Starts progress on, wins, loses (with a reason) or cancels a lead, or (a card
    dropped on a column) moves it to that column's status, through the domain's rules.

    From the board (``view=board``) an htmx request gets the board again, with the
    domain's message when the move was refused; a plain form post is redirected back,
    or shown the page with the message. A refusal changes nothing.
    """
    return _moved(request, db, actor, number, action, lost_reason, status, view, csrf)


@router.post("/web/board/drop")
def drop_card(
    request: Request,
    actor: CurrentActor,
    number: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    lost_reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
):
    """A card dropped on a board column: moves the lead to that column's status."""
    return _moved(request, db, actor, _whole(number) or 0, "", lost_reason, status, "board", csrf)


def _moved(request, db, actor, number, action, lost_reason, status, view, csrf):
    session.check_csrf(request, csrf)
    lead = _lead(db, number)
    type_id = lead.type_id
    error = notice = None
    try:
        notice = _move(db, actor, lead, action, lost_reason, status)
    except DomainError as exc:
        db.rollback()
        error = exc
    code = error.http_status if error else 200
    if view == "board":
        if request.headers.get("hx-request"):
            context = _board(db, type_id)
            return _page(request, "_board.html", code, error=error, notice=notice, **context)
        if error:
            context = _board(db, type_id)
            return _page(
                request, "board.html", code, actor=actor, error=error, notice=None, **context
            )
        return RedirectResponse(f"/web/board?type={type_id}", status_code=303)
    if error:
        return _detail(request, db, actor, _lead(db, number), error)
    return RedirectResponse(f"/web/leads/{number}", status_code=303)


MOVE_LABELS = {"start_progress": "started", "win": "won", "lose": "lost", "cancel": "cancelled"}


def _move(db: Session, actor: Actor, lead: Lead, action: str, reason_id: str, status_id: str):
    """Performs one move; returns what happened, for the page to say."""
    status = _chosen(db, LeadStatus, status_id, "status")
    if not action and status is not None:
        if status is lead.status:
            return None  # dropped where it was
        if status.life_cycle_state == lead.life_cycle_state:
            # same column state, another status: a plain change of the lead's status
            domain_leads.update(db, actor, lead, LeadChanges({"status": status}))
            return f"Lead #{lead.number} is now {status.name}"
        action = next(
            (a for a, move in lifecycle.MOVES.items() if move.target == status.life_cycle_state),
            "",
        )
        if not action:
            raise InvalidLifeCycleState(
                f"No move leads back to {lifecycle.STATE_NAMES[status.life_cycle_state]}"
            )
    if action == "lose":
        lifecycle.lose(db, actor, lead, _chosen(db, LostReason, reason_id, "lost reason"), status)
    elif action in ("start_progress", "win", "cancel"):
        getattr(lifecycle, action)(db, actor, lead, status)
    else:
        raise InvalidValue(f"Unknown move {action!r}")
    return f"Lead #{lead.number} {MOVE_LABELS[action]}: now {lead.status.name}"


SETS = {
    "competitors": (Competitor, "competitor"),
    "users": (User, "team member"),
    "products": (None, "product"),
}
# a products item is chosen as "<field>:<id>": a product, or a type, brand or family of them
CATALOG = {field: identifiers.KINDS[field] for field in vocabulary.PRODUCT_FIELDS}


@router.post("/web/leads/{number}/sets")
def edit_set(
    request: Request,
    number: int,
    actor: CurrentActor,
    name: Annotated[str, Form()] = "",
    add: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "PRODUCT",
    remove: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
):
    """Adds a competitor, team member or products item to a lead (``add``; for products
    also ``kind``: PRODUCT, SERVICE or PHYSICAL_GOOD) or takes one off (``remove``: the id
    of the lead's row), through the domain's rules, as the API's set actions do; a refusal
    shows the lead with the message and changes nothing."""
    session.check_csrf(request, csrf)
    lead = _lead(db, number)
    try:
        if name not in SETS:
            raise InvalidValue(f"Unknown set {name!r}")
        if not add and not remove:
            raise InvalidValue(f"Choose a {SETS[name][1]} to add or remove")
        edit = SetEdit(
            add=[_set_item(db, name, add, kind)] if add else [],
            remove=[RowId(remove)] if remove else [],
        )
        changes = LeadChanges(**{name: edit})
        domain_leads.update(db, actor, lead, changes, expected_version=_whole(version))
    except DomainError as exc:
        db.rollback()
        return _detail(request, db, actor, _lead(db, number), exc)
    return RedirectResponse(f"/web/leads/{number}", status_code=303)


def _label_of(model: type):
    """The column a catalog row is known by on the page."""
    return model.code if model is Product else model.name


def _set_item(db: Session, name: str, chosen: str, kind: str):
    model, label = SETS[name]
    if model is not None:
        return _chosen(db, model, chosen, label)
    field, _, row_id = chosen.partition(":")
    if field not in CATALOG:
        raise InvalidValue(f"Choose a product, or a type, brand or family of them, not {chosen!r}")
    row = _chosen(db, CATALOG[field].model, row_id, CATALOG[field].label)
    return ProductItem(kind, field, row)


def _chosen(db: Session, model: type, row_id: str, label: str):
    if not row_id:
        return None
    row = db.get(model, row_id)
    if row is None:
        raise NotFound(f"The {label} chosen does not exist any more")
    return row


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() else None


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


# the rows a history entry names by id, shown by name
NAMED = {
    "type_id": (LeadType, "name"),
    "status_id": (LeadStatus, "name"),
    "category_id": (LeadCategory, "name"),
    "lost_reason_id": (LostReason, "name"),
    "assigned_user_id": (User, "username"),
    "lead_owner_id": (User, "username"),
    "source_user_id": (User, "username"),
    "assigned_unit_id": (Unit, "name"),
    "owned_by_group_id": (Group, "name"),
    "contact_id": (Contact, "display_name"),
    "source_contact_id": (Contact, "display_name"),
}


def _names(db: Session, events) -> dict[str, str]:
    """Returns a name for every row id the events' changes mention."""
    wanted: dict[str, set] = {}
    for event in events:
        for key, change in (event.changes or {}).items():
            if key in NAMED and isinstance(change, list):
                wanted.setdefault(key, set()).update(v for v in change if isinstance(v, str))
    names = {}
    for key, ids in wanted.items():
        model, attr = NAMED[key]
        for row in db.scalars(select(model).where(model.id.in_(ids))):
            names[row.id] = getattr(row, attr)
    return names


def _detail(request, db, actor, lead: Lead, error: DomainError | None = None) -> HTMLResponse:
    events = queries.history(db, lead)
    return _page(
        request,
        "lead.html",
        error.http_status if error else 200,
        actor=actor,
        lead=lead,
        error=error,
        editable=lead.life_cycle_state in vocabulary.OPEN_STATES,
        events=events,
        names=_names(db, events),
        reasons=list(db.scalars(select(LostReason).order_by(LostReason.name))),
        competitors=list(db.scalars(select(Competitor).order_by(Competitor.name))),
        users=list(db.scalars(select(User).where(User.is_active).order_by(User.username))),
        catalog=[
            (field, list(db.scalars(select(kind.model).order_by(_label_of(kind.model)))))
            for field, kind in CATALOG.items()
        ],
        udfs=[(name, getattr(lead, name)) for name in UDFS],
    )


@router.get("/web/leads/{number}")
def lead_detail(
    request: Request, number: int, actor: CurrentActor, db: Session = DbSession
) -> HTMLResponse:
    """Shows every field of one lead, its sets and its history."""
    return _detail(request, db, actor, _lead(db, number))


@router.get("/web/dashboard")
def dashboard(
    request: Request, actor: CurrentActor, type: str = "", db: Session = DbSession
) -> HTMLResponse:
    """Shows the funnel by state, the win rate and the weighted pipeline value, of every
    lead or of one lead type."""
    types = board.lead_types(db)
    chosen = next((t for t in types if t.id == type), None)
    figures = board.dashboard(db, chosen)
    top = max((n for _, n in figures.funnel), default=0) or 1
    return _page(
        request, "dashboard.html", actor=actor, d=figures, top=top, types=types, chosen=chosen
    )


def render_error(request: Request, exc: DomainError):
    """Sends an unauthenticated browser to the login page; shows any other refusal's message."""
    if isinstance(exc, AuthenticationFailed) and request.url.path != "/web/login":
        return RedirectResponse("/web/login", status_code=303)
    name = "error_fragment.html" if request.headers.get("hx-request") else "error.html"
    if request.url.path == "/web/login":
        return _page(request, "login.html", exc.http_status, actor=None, error=exc.message)
    return _page(request, name, exc.http_status, actor=None, error=exc)


face = Face(router=router, prefix="/web", render_error=render_error)
