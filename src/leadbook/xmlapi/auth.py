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
        username, password = tokens.basic(credentials.strip())
        if password:
            user = tokens.authenticate(db, username, password)
            return Actor(user=user, unit=user.unit, via=VIA)
        return replace(tokens.resolve(db, username), via=VIA)
    if scheme == "bearer":
        return replace(tokens.resolve(db, credentials.strip()), via=VIA)
    if "token" in request.query_params:
        return replace(tokens.resolve(db, request.query_params["token"]), via=VIA)
    raise AuthenticationFailed(
        "Authentication is required: HTTP Basic with your username and password, or a token"
    )
