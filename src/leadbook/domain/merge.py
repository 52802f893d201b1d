"""Merging duplicate contacts: the merged contact's leads and accounts move to the
survivor, each moved lead's change an audited ``merge`` event; the merged contact is kept,
marked merged into the survivor, and reads of it give the survivor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access, events
from leadbook.domain.actor import Actor
from leadbook.domain.contacts import become_customer
from leadbook.domain.errors import Conflict, InvalidValue, NotFound
from leadbook.domain.writes import flush, guarded, touch


@dataclass
class Merged:
    survivor: m.Contact
    merged: m.Contact
    leads: list[int]  # the numbers of the leads moved


def _contact(db: Session, number: str, field: str) -> m.Contact:
    contact = db.scalar(select(m.Contact).where(m.Contact.number == number))
    if contact is None:
        raise NotFound(f"No contact has number {number!r} ({field})", field=field)
    if contact.merged_into_id is not None:
        raise Conflict(f"{{field}}: contact {number} is already merged", field=field)
    return contact


@guarded
def merge_contacts(db: Session, actor: Actor, survivor: str, merged: str) -> Merged:
    """Merges contact ``merged`` into ``survivor`` (numbers); refuses a contact merged
    into itself or either already merged, changing nothing."""
    if survivor == merged:
        raise InvalidValue("{field}: a contact cannot be merged into itself", field="merged")
    access.permit(db, actor, "merge")
    keep, gone = _contact(db, survivor, "survivor"), _contact(db, merged, "merged")
    moved = db.scalars(select(m.Lead).where(m.Lead.contact_id == gone.id).order_by(m.Lead.number))
    numbers = []
    for lead in moved:
        access.permit(db, actor, "update", lead)
        before = events.snapshot(lead)
        lead.contact = keep
        touch(lead, actor)
        flush(db)
        events.record(
            db, lead, actor, "merge", before, {"merged_contact": [gone.number, keep.number]}
        )
        numbers.append(lead.number)
    for account in db.scalars(
        select(m.AccountsReceivable).where(m.AccountsReceivable.owner_id == gone.id)
    ):
        account.owner = keep
        become_customer(keep)
    pair = (m.DuplicateCandidate.contact_id, m.DuplicateCandidate.candidate_id)
    db.execute(delete(m.DuplicateCandidate).where(or_(*(c == gone.id for c in pair))))
    gone.merged_into_id = keep.id
    flush(db)
    return Merged(survivor=keep, merged=gone, leads=numbers)


def candidates(db: Session, limit: int = 200) -> list[m.DuplicateCandidate]:
    """Returns the listed duplicate candidates, newest first."""
    return list(
        db.scalars(
            select(m.DuplicateCandidate)
            .order_by(m.DuplicateCandidate.found_at.desc(), m.DuplicateCandidate.id)
            .limit(limit)
        )
    )
