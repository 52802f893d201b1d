"""Who calls the project's own JSON APIs (the change feed, the workflow, scores and
reports): a web API key (``X-Api-Key``) or a bearer token."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.domain.actor import Actor


def api_caller(request: Request, db: Session, via: str) -> Actor:
    """Returns the user of the request's web API key, else of its bearer token (refusing
    with AuthenticationFailed when neither is live), acting through ``via``."""
    key = request.headers.get("x-api-key")
    if key is not None:
        grant = tokens.api_key_user(db, key)
        return Actor(user=grant.user, unit=grant.unit or grant.user.unit, via=via)
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    actor = tokens.resolve(db, token)
    return Actor(user=actor.user, unit=actor.unit, via=via)
