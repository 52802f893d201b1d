"""The XML API's integer ids for users, contacts and categories (opaque strings inside).

A number is handed out the first time an entity is shown through the XML API and stays
the same for good; 0 means "none", as in the seed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadbook.models import ExternalId

USER = "user"
CONTACT = "contact"
CATEGORY = "lead_category"


def numbers_for(db: Session, kind: str, entity_ids: Iterable[str | None]) -> dict[str, int]:
    """Returns the number of each ``kind`` entity, handing out numbers to new ones."""
    wanted = {i for i in entity_ids if i}
    if not wanted:
        return {}
    found = dict(
        db.execute(
            select(ExternalId.entity_id, ExternalId.number).where(
                ExternalId.kind == kind, ExternalId.entity_id.in_(wanted)
            )
        ).all()
    )
    for entity_id in sorted(wanted - found.keys()):
        found[entity_id] = _hand_out(db, kind, entity_id)
    return found


def number_for(db: Session, kind: str, entity_id: str | None) -> int:
    """Returns the number of one entity; 0 when there is none."""
    return numbers_for(db, kind, [entity_id]).get(entity_id or "", 0)


def entity_for(db: Session, kind: str, number: int) -> str | None:
    """Returns the id of the ``kind`` entity that ``number`` stands for, if any."""
    return db.scalar(
        select(ExternalId.entity_id).where(ExternalId.kind == kind, ExternalId.number == number)
    )


def _hand_out(db: Session, kind: str, entity_id: str) -> int:
    row = ExternalId(kind=kind, entity_id=entity_id)
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError:  # another request handed one out meanwhile: use theirs
        return db.execute(
            select(ExternalId.number).where(
                ExternalId.kind == kind, ExternalId.entity_id == entity_id
            )
        ).scalar_one()
    return row.number
