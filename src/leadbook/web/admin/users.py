"""The users pages: every user, a new one, a user's role, unit and details, disable and
enable, a password reset (typed by the administrator, or made and shown once), through
``refdata.edits`` as the admin API's ``users`` rows; the rules of ``domain.accounts``
(not oneself, not the last administrator) refuse next to the field at fault."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from leadbook.deps import DbSession, FormFields
from leadbook.domain import accounts
from leadbook.domain.errors import DomainError
from leadbook.models import PrivacyLevel, Role, Unit, User
from leadbook.refdata import config, edits
from leadbook.web import session, urls
from leadbook.web.admin import paging
from leadbook.web.admin.guard import Administrator, Refusal
from leadbook.web.page import render

router = APIRouter(include_in_schema=False)
BASE = "/web/admin/users"
USERS = config.BY_NAME["users"]
LABELS = {
    "username": "Username",
    "person_name": "Name",
    "email": "Email",
    "role": "Role",
    "unit": "Unit",
    "clearance": "Clearance",
    "is_active": "Active",
    "password": "Password",
}
ROLES = {Role.ADMIN: "Administrator", Role.MANAGER: "Manager", Role.SALES: "Sales"}
ROLES[Role.READ_ONLY] = "Read only"
DETAILS = ("person_name", "email", "role", "unit", "clearance")


def _details(form: dict) -> dict:
    """Returns the user's details a form gives (blank clears; no role keeps the role)."""
    values = {name: (form.get(name) or "").strip() or None for name in DETAILS}
    if values["role"] is None:
        del values["role"]
    return values


@router.get(BASE)
def users_page(
    request: Request, actor: Administrator, page: paging.PageNumber = 1, db: Session = DbSession
) -> HTMLResponse:
    """Shows the users (100 a page, by username) and the form for a new one."""
    return _list(request, db, {"role": Role.SALES.value}, page=page)


@router.post(BASE)
def create_user(
    request: Request, actor: Administrator, form: dict = FormFields, db: Session = DbSession
) -> Response:
    """Creates a user; without a typed password one is made and shown once (this answer
    is the only place it appears: no redirect, not stored by the browser)."""
    session.check_csrf(request, form.get("csrf"))
    username = (form.get("username") or "").strip()
    password = form.get("password") or accounts.one_time_password()
    try:
        user = edits.create(
            db, actor, USERS, {"username": username, **_details(form), "password": password}
        )
    except DomainError as exc:
        db.rollback()
        return _list(request, db, form, exc)
    if form.get("password"):
        return urls.redirect(request, f"{BASE}/{user.id}")
    return _once(request, user, password)


@router.get(BASE + "/{user_id}")
def user_page(
    request: Request, user_id: str, actor: Administrator, db: Session = DbSession
) -> HTMLResponse:
    """Shows one user's details, Disable / Enable and the password reset."""
    user = edits.by_id(db, USERS, user_id)
    return _user(request, db, user, _shown(user))


@router.post(BASE + "/{user_id}")
def change_user(
    request: Request,
    user_id: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Changes a user's name, email, role, unit and clearance."""
    return _change(request, db, actor, user_id, form, _details(form))


@router.post(BASE + "/{user_id}/active")
def set_active(
    request: Request,
    user_id: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Disables (``active=false``) or enables (``active=true``) a user; a disabled user's
    sessions and tokens end at once."""
    wanted = {"true": True, "false": False}.get(form.get("active", ""), form.get("active"))
    return _change(request, db, actor, user_id, form, {"is_active": wanted})


@router.post(BASE + "/{user_id}/password")
def reset_password(
    request: Request,
    user_id: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Sets the password typed, or makes one and shows it once; the user's sessions and
    tokens end."""
    session.check_csrf(request, form.get("csrf"))
    user = edits.by_id(db, USERS, user_id)
    password = form.get("password") or accounts.one_time_password()
    try:
        edits.change(db, actor, USERS, user, {"password": password})
    except DomainError as exc:
        db.rollback()
        return _user(request, db, edits.by_id(db, USERS, user_id), _shown(user), exc)
    if form.get("password"):
        return urls.redirect(request, f"{BASE}/{user_id}?done=password")
    return _once(request, user, password)


def _change(request, db, actor, user_id: str, form: dict, values: dict) -> Response:
    """Applies ``values`` to the user; a refusal shows the page again with its message."""
    session.check_csrf(request, form.get("csrf"))
    user = edits.by_id(db, USERS, user_id)
    try:
        edits.change(db, actor, USERS, user, values)
    except DomainError as exc:
        db.rollback()
        user = edits.by_id(db, USERS, user_id)
        return _user(request, db, user, {**_shown(user), **form}, exc)
    return urls.redirect(request, f"{BASE}/{user_id}")


def _shown(user: User) -> dict[str, str]:
    """Returns the user's details as the form shows them."""
    return {
        "person_name": user.person_name or "",
        "email": user.email or "",
        "role": user.role.value,
        "unit": user.unit.name if user.unit else "",
        "clearance": user.clearance.number if user.clearance else "",
    }


def _refusal(exc: DomainError | None) -> Refusal | None:
    """Returns ``exc`` as the users' forms show it (None: no refusal)."""
    return Refusal.of(exc, LABELS, set(LABELS)) if exc else None


def _choices(db: Session) -> dict:
    """The forms' options: roles, units, privacy levels."""
    return {
        "roles": ROLES,
        "units": list(db.scalars(select(Unit.name).order_by(Unit.name))),
        "levels": list(db.scalars(select(PrivacyLevel).order_by(PrivacyLevel.hierarchy_level))),
    }


def _list(request, db, form: dict, exc: DomainError | None = None, page=1) -> HTMLResponse:
    """The users page: a page of users and the new user's form (as typed after a refusal)."""
    found = select(User).options(joinedload(User.unit)).order_by(User.username)
    return render(
        request,
        "admin/users.html",
        exc.http_status if exc else 200,
        paged=paging.page_of(db, found, page, BASE),
        form=form,
        refusal=_refusal(exc),
        **_choices(db),
    )


def _user(request, db, user: User, form: dict, exc: DomainError | None = None) -> HTMLResponse:
    """One user's page: details form, Disable / Enable, password reset."""
    return render(
        request,
        "admin/user.html",
        exc.http_status if exc else 200,
        user=user,
        form=form,
        refusal=_refusal(exc),
        **_choices(db),
    )


def _once(request: Request, user: User, password: str) -> HTMLResponse:
    """The page showing a password made for ``user``, once (never cached)."""
    answer = render(request, "admin/password.html", user=user, password=password)
    answer.headers["Cache-Control"] = "no-store"
    return answer
