"""The leads a CRM.COM method answers with, projected on ``fields_set``, in the envelope: a
changed lead from its ORM row (``serialize``), a read in one statement (``complete``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from leadbook.crmcom import complete, envelope, serialize
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.domain import clock, queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import NotFound
from leadbook.models import Lead
from leadbook.readmodel import read
from leadbook.readmodel.shape import Obj

# a list's filter, offset and limit
Page = tuple[queries.LeadFilter, int, int | None]


def one(db: Session, lead: Lead, fields: list[str] | None) -> ORJSONResponse:
    """Returns ``lead`` as stored (flushed first)."""
    db.flush()
    return envelope.ok(serialize.project(serialize.lead(lead, clock.now()), fields))


def shown(
    db: Session, actor: Actor, lead: tuple[Any, NotFound], fields: list[str] | None
) -> ORJSONResponse:
    """Returns the lead meeting ``lead``'s condition, read in one statement (or refuses
    with its NotFound, or naming the survivor of a merged lead)."""
    condition, missing = lead
    found = read.one(db, actor, _shape(fields), condition, clock.now())
    if found is None:
        queries.refuse_merged(db, actor, condition, missing.field)
        raise missing
    return envelope.ok(found)


def listed(db: Session, actor: Actor, page: Page, fields: list[str] | None) -> ORJSONResponse:
    """Returns a page of leads, read in one statement."""
    f, offset, limit = page
    return envelope.ok(
        read.page(db, actor, _shape(fields), f, clock.now(), offset=offset, limit=limit)
    )


def _shape(fields: list[str] | None) -> Obj:
    return complete.LEAD.only(tuple(dict.fromkeys(fields)) if fields else None)
