"""Who calls the XML API: HTTP Basic with a user's credentials, or a Leadbook token.

A token may come as ``Authorization: Bearer <token>``, as the Basic username with an
empty password (the usual way to pass an API key through Basic), or as ``?token=``.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.deps import DbSession
from leadbook.domain.actor import Actor
from leadbook.domain.errors import AuthenticationFailed

VIA = "xml"


def caller(request: Request, db: Session = DbSession) -> Actor:
    """Returns the actor the request authenticates as, or raises AuthenticationFailed."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        username, password = _plain(*tokens.basic(credentials.strip()))
        if password:
            user = tokens.authenticate(db, username, password)
            return Actor(user=user, unit=user.unit, via=VIA)
        return replace(tokens.resolve(db, username), via=VIA)
    if scheme == "bearer":
        return replace(tokens.resolve(db, _plain(credentials.strip())[0]), via=VIA)
    if "token" in request.query_params:
        return replace(tokens.resolve(db, _plain(request.query_params["token"])[0]), via=VIA)
    raise AuthenticationFailed(
        "Authentication is required: HTTP Basic with your username and password, or a token"
    )


def _plain(*texts: str) -> tuple[str, ...]:
    """Returns ``texts``; credentials holding NUL or a lone surrogate (which no database
    column can hold) are refused."""
    for text in texts:
        if "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text):
            raise AuthenticationFailed("The credentials hold characters no name or token has")
    return texts
