"""Idempotency-Key: a create repeated with the same key (same caller, same request, within
LEADBOOK_IDEMPOTENCY_HOURS) gets the first answer again and changes nothing.

The first answer is stored in the request's own transaction, so it is kept exactly when
the create is. The same key with another request is refused (409); a repeat racing the
first is refused by the key's uniqueness (409) and its create rolled back.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadbook.domain import clock
from leadbook.domain.errors import Conflict, InvalidValue
from leadbook.models import IdempotentAnswer

HEADER = "idempotency-key"
KEPT_HEADERS = ("location", "access-control-allow-origin", "vary")


def key_of(request: Request) -> str | None:
    """Returns the request's Idempotency-Key, refusing one over 200 characters."""
    key = request.headers.get(HEADER)
    if key is not None and not 0 < len(key) <= 200:
        raise InvalidValue("Idempotency-Key must be 1 to 200 characters")
    return key


def fingerprint(value: Any) -> bytes:
    """Returns the bytes a request is told apart by (a parsed body, keys sorted)."""
    return json.dumps(value, sort_keys=True, default=str).encode()


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def replay(db: Session, scope: str, key: str | None, body: bytes) -> Response | None:
    """Returns the answer first given to ``key`` of ``scope`` (None when there is none)."""
    if key is None:
        return None
    now = clock.now()
    db.execute(delete(IdempotentAnswer).where(IdempotentAnswer.expires_at <= now))
    kept = db.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.scope == scope, IdempotentAnswer.key == key
        )
    )
    if kept is None:
        return None
    if kept.request_digest != _digest(body):
        raise Conflict("This Idempotency-Key was used for another request")
    headers = json.loads(kept.headers or "{}")
    return Response(kept.body, kept.status, headers=headers, media_type=kept.media_type)


def remember(
    db: Session, request: Request, scope: str, key: str | None, body: bytes, answer: Response
) -> Response:
    """Keeps ``answer`` for ``key`` of ``scope`` (when given); returns it."""
    if key is None:
        return answer
    hours = request.app.state.settings.idempotency_hours
    headers = {k: v for k, v in answer.headers.items() if k in KEPT_HEADERS}
    db.add(
        IdempotentAnswer(
            scope=scope,
            key=key,
            request_digest=_digest(body),
            status=answer.status_code,
            media_type=answer.media_type or "application/json",
            headers=json.dumps(headers),
            body=bytes(answer.body),
            expires_at=clock.now() + timedelta(hours=hours),
        )
    )
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise Conflict("A request with this Idempotency-Key is being answered; retry") from None
    return answer
