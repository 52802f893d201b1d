"""Access tokens: issued at login, presented as ``token`` on every API call."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from leadbook.auth import ratelimit
from leadbook.auth.passwords import verify_password
from leadbook.domain.actor import Actor
from leadbook.domain.clock import now as utcnow
from leadbook.domain.errors import AuthenticationFailed
from leadbook.models import AccessToken, Unit, User


def token_hash(token: str) -> str:
    """Returns the stored form of ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(db: Session, username: str, password: str) -> User:
    """Returns the active user with these credentials, or raises AuthenticationFailed."""
    user = db.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        raise AuthenticationFailed("Invalid username or password")
    return user


def issue(
    db: Session,
    user: User,
    *,
    unit: Unit | None = None,
    ttl_seconds: int | None,
    token: str | None = None,
    label: str | None = None,
) -> str:
    """Stores and returns a new token for ``user``; ``ttl_seconds`` None never expires."""
    token = token or secrets.token_hex(16).upper()
    expires = utcnow() + timedelta(seconds=ttl_seconds) if ttl_seconds else None
    db.add(
        AccessToken(
            token_hash=token_hash(token),
            user_id=user.id,
            unit_id=(unit or user.unit).id if (unit or user.unit) else None,
            expires_at=expires,
            label=label,
        )
    )
    db.flush()
    return token


def resolve(db: Session, token: str | None) -> Actor:
    """Returns the actor behind a live token, or raises AuthenticationFailed."""
    if not token:
        raise AuthenticationFailed("The token is mandatory")
    row = db.get(
        AccessToken,
        token_hash(token),
        options=[joinedload(AccessToken.user).joinedload(User.unit), joinedload(AccessToken.unit)],
    )
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("The token is not valid")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise AuthenticationFailed("The token has expired")
    if not row.user.is_active:
        raise AuthenticationFailed("The user is not active")
    ratelimit.limiter.hit(row.token_hash)
    return Actor(user=row.user, unit=row.unit or row.user.unit)


def release(db: Session, token: str) -> None:
    """Revokes ``token`` so no later call can use it."""
    row = db.get(AccessToken, token_hash(token))
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("The token is not valid")
    row.revoked_at = utcnow()
