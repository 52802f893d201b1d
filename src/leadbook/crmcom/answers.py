"""The leads a CRM.COM method answers with, projected on ``fields_set``, in the envelope."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadbook.crmcom import envelope, serialize
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.domain import clock
from leadbook.models import Lead


def one(db: Session, lead: Lead, fields: list[str] | None) -> ORJSONResponse:
    """Returns ``lead`` as stored (flushed first)."""
    db.flush()
    return envelope.ok(serialize.project(serialize.lead(lead, clock.now()), fields))


def many(rows: list[Lead], fields: list[str] | None) -> ORJSONResponse:
    """Returns ``rows``."""
    now = clock.now()
    return envelope.ok([serialize.project(serialize.lead(row, now), fields) for row in rows])
