"""The XML API's integer ids for users, contacts and categories (opaque strings inside).

Each entity gets its number when it is created (``leadbook.models.external``) and keeps it
for good; this face only looks numbers up, so a read never writes. 0 means "none", as in
the seed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.models import ExternalId
from leadbook.models.external import CATEGORY, CONTACT, USER

__all__ = ["CATEGORY", "CONTACT", "USER", "entity_for", "number_for", "numbers_for"]


def numbers_for(db: Session, kind: str, entity_ids: Iterable[str | None]) -> dict[str, int]:
    """Returns the number of each ``kind`` entity."""
    wanted = {i for i in entity_ids if i}
    if not wanted:
        return {}
    return dict(
        db.execute(
            select(ExternalId.entity_id, ExternalId.number).where(
                ExternalId.kind == kind, ExternalId.entity_id.in_(wanted)
            )
        ).all()
    )


def number_for(db: Session, kind: str, entity_id: str | None) -> int:
    """Returns the number of one entity; 0 when there is none."""
    return numbers_for(db, kind, [entity_id]).get(entity_id or "", 0)


def entity_for(db: Session, kind: str, number: int) -> str | None:
    """Returns the id of the ``kind`` entity that ``number`` stands for, if any."""
    return db.scalar(
        select(ExternalId.entity_id).where(ExternalId.kind == kind, ExternalId.number == number)
    )
