"""Access tokens: issued at login, presented as ``token`` on every API call."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, delete, exists, or_, select
from sqlalchemy.orm import Session, joinedload

from leadbook.auth import apikeys, guesses
from leadbook.auth.passwords import verify_password
from leadbook.domain import access, queries, scoring, values
from leadbook.domain.actor import Actor
from leadbook.domain.clock import now as utcnow
from leadbook.domain.errors import AuthenticationFailed, InvalidValue
from leadbook.models import AccessToken, ApiKey, PrivacyLevel, Unit, User

LABEL_LENGTH = 100  # an API key's label, at most
# what a caller's token comes with: its user and unit, and the user's clearance
# (access.visible reads it)
LOADS = (
    joinedload(AccessToken.user).joinedload(User.unit),
    joinedload(AccessToken.user).joinedload(User.clearance),
    joinedload(AccessToken.unit),
)


def token_hash(token: str) -> str:
    """Returns the stored form of ``token``."""
    return hashlib.sha256(values.text(token, "token").encode()).hexdigest()


def basic(credentials: str) -> tuple[str, str]:
    """Returns the (username, password) of HTTP Basic ``credentials`` (the part after
    ``Basic``), or raises AuthenticationFailed."""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise AuthenticationFailed("The Basic credentials are not valid base64 UTF-8") from None
    username, sep, password = decoded.partition(":")
    if not sep or not username:
        raise AuthenticationFailed("The Basic credentials must be username:password")
    return username, password


def authenticate(db: Session, username: str, password: str) -> User:
    """Returns the active user with these credentials, or raises AuthenticationFailed.

    An unknown or inactive user costs a password check too, so the answer's time does not
    tell which user names exist."""
    username = values.text(username, "username")
    guesses.check(username)
    user = db.scalar(select(User).where(User.username == username))
    known = user.password_hash if user is not None and user.is_active else None
    matches = verify_password(known, password)
    if user is None or not matches:
        guesses.failed(username)
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
    """Stores and returns a new token for ``user``; ``ttl_seconds`` None never expires.

    ``unit`` must be one the user may act in (``access.login_unit``). The user's expired
    and revoked tokens are deleted on the way."""
    unit = access.login_unit(user, unit)
    token = token or secrets.token_hex(16).upper()
    now = utcnow()
    expires = now + timedelta(seconds=ttl_seconds) if ttl_seconds else None
    db.execute(
        delete(AccessToken).where(
            AccessToken.user_id == user.id,
            or_(AccessToken.expires_at <= now, AccessToken.revoked_at.is_not(None)),
        )
    )
    db.add(
        AccessToken(
            token_hash=token_hash(token),
            user_id=user.id,
            unit_id=unit.id if unit else None,
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
    if not isinstance(token, str):
        raise AuthenticationFailed("The token must be a string")
    found = db.execute(
        select(AccessToken, scoring.generation())
        .where(AccessToken.token_hash == token_hash(token))
        .options(*LOADS)
    ).first()
    row = found[0] if found is not None else None
    if found is not None:
        scoring.seen(db, found[1])
    if row is None:  # a made-up token (a revoked or expired one is no guess)
        guesses.check()
        guesses.failed()
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("The token is not valid")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise AuthenticationFailed("The token has expired")
    if not row.user.is_active:
        raise AuthenticationFailed("The user is not active")
    return actor_of(db, row)


def actor_of(db: Session, row: AccessToken) -> Actor:
    """Returns the actor of a live token's row (loaded with ``LOADS``)."""
    actor = Actor(user=row.user, unit=row.unit or row.user.unit)
    # the session holds its rows weakly: kept here, the caller's user and unit stay in it
    # for the request, so leads pointing at them (created by, assigned to) need no query
    db.info["actor"] = actor
    return actor


def caller(token: str) -> queries.Caller:
    """Returns the caller a ``token`` names, as SQL for a write's locking read
    (``queries.one_for``): live as ``resolve`` decides (ask it why not)."""
    viewer, live, params = viewing(token)
    where = AccessToken.token_hash == token_hash(token)
    return queries.Caller(viewer, live, AccessToken, where, LOADS, params)


def viewing(token: str) -> tuple[access.Viewer, ColumnElement[bool], dict[str, Any]]:
    """Returns the reader a live ``token`` names, as SQL for a read that checks the token
    in its own statement, whether it is live (as ``resolve`` decides; ask it why not), and
    the parameters to execute that statement with."""
    viewer, live = _caller()
    return viewer, live, {"caller_token": token_hash(token), "caller_now": utcnow()}


@cache
def _caller() -> tuple[access.Viewer, ColumnElement[bool]]:
    """The caller of a token given as parameters (``viewing``): built once, so a read
    builds only its own conditions around it. Its values are the CTE's columns, so a read
    joins its one row (none for a dead token): as scalar subqueries, each use was a
    subplan PostgreSQL set up on every execution, a third of a show's statement."""
    caller = (
        select(User.id.label("user_id"), User.role, Unit.group_id, PrivacyLevel.hierarchy_level)
        .select_from(AccessToken)
        .join(User, User.id == AccessToken.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .outerjoin(PrivacyLevel, PrivacyLevel.id == User.clearance_id)
        .where(
            AccessToken.token_hash == bindparam("caller_token", type_=String),
            AccessToken.revoked_at.is_(None),
            or_(
                AccessToken.expires_at.is_(None),
                AccessToken.expires_at > bindparam("caller_now", type_=AccessToken.expires_at.type),
            ),
            User.is_active.is_(True),
        )
        .cte("caller")
    )
    return access.Viewer(*caller.c), exists(select(caller.c.user_id))


def release(db: Session, token: str) -> None:
    """Revokes ``token`` so no later call can use it."""
    row = db.get(AccessToken, token_hash(token))
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("The token is not valid")
    row.revoked_at = utcnow()


def issue_api_key(db: Session, user: User, *, unit: Unit | None = None, label: str = "") -> str:
    """Stores and returns a new web API key of ``user`` (shown once: only its hash is kept);
    ``label`` is at most 100 characters."""
    unit = access.login_unit(user, unit)
    if len(values.text(label, "label")) > LABEL_LENGTH:
        raise InvalidValue(f"{{field}} must be at most {LABEL_LENGTH} characters", field="label")
    key = secrets.token_hex(20).upper()
    db.add(
        ApiKey(
            key_hash=token_hash(key),
            user_id=user.id,
            unit_id=unit.id if unit else None,
            label=label or None,
        )
    )
    db.flush()
    return key


def api_key_user(db: Session, key: str) -> ApiKey:
    """Returns the live API key ``key``, or raises AuthenticationFailed."""
    row = db.get(ApiKey, token_hash(key)) if key else None
    if row is None:
        guesses.check()
        guesses.failed()
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("The web API key is not valid")
    if not row.user.is_active:
        raise AuthenticationFailed("The user is not active")
    return row


def revoke_api_key(db: Session, key: str) -> None:
    """Makes ``key`` unusable for any later login (tokens it gave expire on their own)."""
    apikeys.revoke(api_key_user(db, key))


def purge(db: Session) -> int:
    """Deletes every expired or revoked token (none can be used again); returns how many."""
    now = utcnow()
    dead = or_(AccessToken.expires_at <= now, AccessToken.revoked_at.is_not(None))
    found = db.scalars(select(AccessToken.token_hash).where(dead)).all()
    db.execute(delete(AccessToken).where(dead))
    return len(found)
