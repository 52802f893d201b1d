"""The browser session: a token in an HttpOnly cookie, and the CSRF token derived from it."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.domain.actor import Actor
from leadbook.domain.errors import PermissionDenied

COOKIE = "leadbook_session"
TTL_SECONDS = 8 * 3600


def actor_of(db: Session, request: Request) -> Actor:
    """Returns the logged-in actor, or raises AuthenticationFailed (the face redirects)."""
    actor = tokens.resolve(db, request.cookies.get(COOKIE))
    return Actor(user=actor.user, unit=actor.unit, via="web")


def csrf_token(request: Request) -> str:
    """Returns the CSRF token of the session: a digest only the cookie's holder can compute."""
    session = request.cookies.get(COOKIE, "")
    return hashlib.sha256(f"csrf:{session}".encode()).hexdigest()


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuses a form post whose CSRF token (field or X-CSRF-Token header) is missing or wrong."""
    submitted = submitted or request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(submitted, csrf_token(request)):
        raise PermissionDenied("The form has expired; reload the page and try again")
