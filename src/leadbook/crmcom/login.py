"""The CRM.COM authentication methods: a token for a password or a web API key, and its
release."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.crmcom import document, envelope, wire
from leadbook.crmcom.call import body
from leadbook.deps import DbSession
from leadbook.domain import identifiers
from leadbook.domain.errors import AuthenticationFailed

router = APIRouter()
Body = dict[str, Any]
LoginBody = Annotated[Body, body("authentication/token")]
ApiKeyBody = Annotated[Body, body("authentication/web_api_key/token", optional=True)]
ReleaseBody = Annotated[Body, body("authentication/token/release")]


@router.post("/authentication/token", openapi_extra=document.post("authentication/token"))
def login(request: Request, body: LoginBody, db: Session = DbSession):
    """Returns a token for ``username``/``password`` in ``organisation`` (and ``unit``)."""
    username = wire.required_text(body, "username")
    password = wire.required_text(body, "password")
    organisation = wire.required_text(body, "organisation")
    settings = request.app.state.settings
    if organisation.strip().upper() != settings.organisation.upper():
        raise AuthenticationFailed(f"Unknown organisation {organisation!r}")
    user = tokens.authenticate(db, username, password)
    token = tokens.issue(db, user, unit=_unit(db, body), ttl_seconds=settings.token_ttl_seconds)
    return envelope.ok({"token": token})


@router.post(
    "/authentication/web_api_key/token",
    openapi_extra=document.post("authentication/web_api_key/token", required=False),
)
def login_with_api_key(request: Request, body: ApiKeyBody, db: Session = DbSession):
    """Returns a token for the web API key sent as the HTTP Basic username (empty
    password); ``unit`` optional (else the key's unit)."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise AuthenticationFailed("Send the web API key as the HTTP Basic username")
    key, password = tokens.basic(credentials.strip())
    if password:
        raise AuthenticationFailed("The HTTP Basic password must be empty for a web API key")
    api_key = tokens.api_key_user(db, key)
    token = tokens.issue(
        db,
        api_key.user,
        unit=_unit(db, body) or api_key.unit,
        ttl_seconds=request.app.state.settings.token_ttl_seconds,
        label="web_api_key",
    )
    return envelope.ok({"token": token})


@router.post(
    "/authentication/token/release", openapi_extra=document.post("authentication/token/release")
)
def release(body: ReleaseBody, db: Session = DbSession):
    """Makes ``token`` unusable by any later call."""
    tokens.release(db, wire.required_text(body, "token"))
    return envelope.ok(None)


def _unit(db: Session, body: dict) -> Any:
    """The unit a login names (a unit id, or an identifier object), or None."""
    if body.get("unit") is None:
        return None
    unit_ref = body["unit"]
    ident = unit_ref if isinstance(unit_ref, dict) else {"id": wire.text(unit_ref, "unit")}
    return identifiers.resolve(db, "unit", ident, param="unit")
