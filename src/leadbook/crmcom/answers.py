"""The leads a CRM.COM method answers with, projected on ``fields_set``, in the envelope: a
lead read in one statement (``complete``; the ORM serialiser, ``serialize``, only for a
changed lead its actor no longer sees)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.crmcom import complete, envelope, serialize
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.domain import clock, queries
from leadbook.domain.access import Viewer
from leadbook.domain.actor import Actor
from leadbook.domain.errors import NotFound
from leadbook.domain.filters import LeadFilter
from leadbook.models import Lead
from leadbook.readmodel import read
from leadbook.readmodel.shape import Obj

T = TypeVar("T")
# a list's filter, offset and limit
Page = tuple[LeadFilter, int, int | None]


def one(db: Session, actor: Actor, lead: Lead, fields: list[str] | None) -> ORJSONResponse:
    """Returns ``lead`` as stored (flushed first) in one statement; from its ORM row when
    the change took it out of ``actor``'s sight (it is still the answer to the change)."""
    db.flush()
    now = clock.now()
    found = read.one(db, actor, _shape(fields), Lead.id == lead.id, now)
    if found is None:
        found = serialize.project(serialize.lead(lead, now), fields)
    return envelope.ok(found)


def shown(
    db: Session, token: str | None, lead: tuple[str, Any, NotFound], fields: list[str] | None
) -> ORJSONResponse:
    """Returns the lead whose column ``lead[0]`` holds ``lead[1]`` that ``token``'s caller
    sees, read in one statement with the token's check (or refuses with its NotFound, or
    naming the survivor of a merged lead)."""
    column, value, missing = lead
    shape, now = _shape(fields), clock.now()

    def reading(who: Actor | Viewer, admits: Any, params: Any) -> dict[str, Any]:
        if isinstance(who, Viewer) and admits is not None:
            found = read.named(db, who, shape, (column, value), now, admits, params)
        else:
            found = read.one(db, who, shape, _where(column, value), now)
        if found is None:
            queries.refuse_merged(db, who, _where(column, value), missing.field, params)
            raise missing
        return found

    return envelope.ok(_as_caller(db, token, reading))


def listed(db: Session, token: str | None, page: Page, fields: list[str] | None) -> ORJSONResponse:
    """Returns a page of the leads ``token``'s caller sees, read in one statement with the
    token's check."""
    f, offset, limit = page
    shape, now = _shape(fields), clock.now()

    def reading(who: Actor | Viewer, admits: Any, params: Any) -> list[dict[str, Any]]:
        return read.page(
            db, who, shape, f, now, offset=offset, limit=limit, admits=admits, params=params
        )

    return envelope.ok(_as_caller(db, token, reading))


def _as_caller(db: Session, token: str | None, reading: Callable[[Any, Any, Any], T]) -> T:
    """Returns ``reading`` as the caller ``token`` names, checked in its statement; a token
    refused there is resolved for the reason (``tokens.resolve`` raises it)."""
    if token and isinstance(token, str):
        try:
            return reading(*tokens.viewing(token))
        except read.NotAdmitted:
            pass
    return reading(tokens.resolve(db, token), None, None)


def _where(column: str, value: Any) -> Any:
    """The condition naming the lead (built only when a read needs it: the named read,
    the common one, binds the column and value itself)."""
    return getattr(Lead, column) == value


def _shape(fields: list[str] | None) -> Obj:
    return complete.LEAD.only(tuple(dict.fromkeys(fields)) if fields else None)
