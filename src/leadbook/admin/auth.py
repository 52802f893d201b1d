"""Who may use the admin face: an administrator's bearer token (``Admin``); any user's
where the domain decides who may (``Caller``: lead duplicates and merges)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.deps import DbSession
from leadbook.domain.actor import Actor
from leadbook.domain.errors import PermissionDenied


def caller(request: Request, db: Session = DbSession) -> Actor:
    """Returns the user behind the request's bearer token, or refuses."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    return tokens.resolve(db, token)


def admin(request: Request, db: Session = DbSession) -> Actor:
    """Returns the admin behind the request's bearer token, or refuses."""
    actor = caller(request, db)
    if not actor.user.is_admin:
        raise PermissionDenied(f"User {actor.user.username} is not an administrator")
    return actor


Admin = Annotated[Actor, Depends(admin)]
Caller = Annotated[Actor, Depends(caller)]
