"""The browser session: a token in an HttpOnly cookie, and the CSRF token derived from it.

Before there is a session, the login form carries a CSRF token derived from a random
cookie of its own (``LOGIN_COOKIE``, SameSite=Strict), so another site cannot log a
browser in under its own account."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.domain.actor import Actor
from leadbook.domain.errors import PermissionDenied
from leadbook.web import urls

COOKIE = "leadbook_session"
TTL_SECONDS = 8 * 3600
LOGIN_COOKIE = "leadbook_login"


def actor_of(db: Session, request: Request) -> Actor:
    """Returns the logged-in actor, or raises AuthenticationFailed (the face redirects)."""
    actor = tokens.resolve(db, request.cookies.get(COOKIE))
    return Actor(user=actor.user, unit=actor.unit, via="web")


def csrf_token(request: Request, cookie: str = COOKIE) -> str:
    """Returns the CSRF token of the session (or of the login form's ``cookie``): a digest
    only the cookie's holder can compute."""
    return _digest(request.cookies.get(cookie, ""))


def _digest(secret: str) -> str:
    return hashlib.sha256(f"csrf:{secret}".encode()).hexdigest()


def check_csrf(request: Request, submitted: str | None, cookie: str = COOKIE) -> None:
    """Refuses a form post whose CSRF token (field or X-CSRF-Token header) is missing or wrong."""
    submitted = submitted or request.headers.get("x-csrf-token", "")
    if not request.cookies.get(cookie) or not hmac.compare_digest(
        submitted, csrf_token(request, cookie)
    ):
        raise PermissionDenied("The form has expired; reload the page and try again")


def login_form_token(request: Request, response: Response) -> str:
    """Returns the login form's CSRF token for ``response``, setting the cookie it is derived
    from (kept when the browser has one)."""
    secret = request.cookies.get(LOGIN_COOKIE) or secrets.token_hex(16)
    response.set_cookie(
        LOGIN_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=urls.web_url(request, "/web/login"),
    )
    return _digest(secret)
