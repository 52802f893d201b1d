"""The web API keys page: every key (never its secret), a new key for a user (its secret
shown once, in the answer to the form), revoking one; through ``auth.tokens`` and
``auth.apikeys``, as ``leadbook create-api-key`` / ``revoke-api-key``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.auth import apikeys, tokens
from leadbook.deps import DbSession, FormFields
from leadbook.domain import identifiers
from leadbook.domain.errors import DomainError
from leadbook.models import Unit
from leadbook.web import session, urls
from leadbook.web.admin import paging
from leadbook.web.admin.guard import Administrator, Refusal
from leadbook.web.page import render

router = APIRouter(include_in_schema=False)
BASE = "/web/admin/api-keys"
LABELS = {"user": "Username", "unit": "Unit", "label": "Label", "revoke": "Revoke"}


@router.get(BASE)
def keys_page(
    request: Request, actor: Administrator, page: paging.PageNumber = 1, db: Session = DbSession
) -> HTMLResponse:
    """Shows the web API keys (100 a page, live ones first) and the form for a new one."""
    return _page(request, db, {}, page=page)


@router.post(BASE)
def create_key(
    request: Request, actor: Administrator, form: dict = FormFields, db: Session = DbSession
) -> Response:
    """Creates a key for the user chosen and shows its secret, once (this answer is the
    only place it appears: no redirect, not stored by the browser)."""
    session.check_csrf(request, form.get("csrf"))
    username, unit = (form.get(name, "").strip() for name in ("user", "unit"))
    try:
        user = identifiers.resolve(db, "user", {"username": username}, param="user")
        chosen = identifiers.resolve(db, "unit", {"name": unit}, param="unit") if unit else None
        secret = tokens.issue_api_key(db, user, unit=chosen, label=form.get("label", "").strip())
    except DomainError as exc:
        db.rollback()
        return _page(request, db, form, exc)
    answer = _page(request, db, {}, created=(user, secret))
    answer.headers["Cache-Control"] = "no-store"
    return answer


@router.post(BASE + "/{key_id}/revoke")
def revoke_key(
    request: Request,
    key_id: str,
    actor: Administrator,
    form: dict = FormFields,
    db: Session = DbSession,
) -> Response:
    """Revokes a key: no later login can use it."""
    session.check_csrf(request, form.get("csrf"))
    try:
        apikeys.revoke(apikeys.find(db, key_id))
    except DomainError as exc:
        db.rollback()
        return _page(request, db, {}, exc)
    return urls.redirect(request, BASE)


def _page(
    request, db, form: dict, exc: DomainError | None = None, created=None, page=1
) -> HTMLResponse:
    """The keys page: every key, a new key's secret once (``created``), the new key's form."""
    return render(
        request,
        "admin/api_keys.html",
        exc.http_status if exc else 200,
        paged=paging.page_of(db, apikeys.listed(), page, BASE),
        units=list(db.scalars(select(Unit.name).order_by(Unit.name))),
        form=form,
        refusal=Refusal.of(exc, LABELS, {"user", "unit", "label"}) if exc else None,
        created=created,
    )
