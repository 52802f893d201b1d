"""Web API keys as administrators see them: listed without their secrets (only a hash
is stored; ``tokens.issue_api_key`` shows a new key once), found and revoked by that hash."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from leadbook.domain.clock import now as utcnow
from leadbook.domain.errors import Conflict, NotFound
from leadbook.models import ApiKey


def listed() -> Select[ApiKey]:
    """Returns the statement selecting every web API key, live ones first, newest first."""
    return (
        select(ApiKey)
        .options(joinedload(ApiKey.user), joinedload(ApiKey.unit))
        .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc(), ApiKey.key_hash)
    )


def find(db: Session, key_hash: str) -> ApiKey:
    """Returns the key whose stored hash is ``key_hash``, or NotFound."""
    row = db.get(ApiKey, key_hash) if key_hash else None
    if row is None:
        raise NotFound("There is no such web API key")
    return row


def revoke(row: ApiKey) -> None:
    """Makes key ``row`` unusable for any later login; refuses one already revoked."""
    if row.revoked_at is not None:
        raise Conflict("The web API key was already revoked")
    row.revoked_at = utcnow()
