"""Integer stand-ins for entities whose ids are opaque strings (the XML API needs integers).

A user, contact or lead category gets its number in the flush that creates it, whatever
creates it (a listener on every session), so reading numbers never writes.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from leadbook.models.base import Base, new_id
from leadbook.models.parties import Contact
from leadbook.models.reference import LeadCategory, User

USER = "user"
CONTACT = "contact"
CATEGORY = "lead_category"
# the kind of number each numbered model gets
KINDS: dict[type, str] = {User: USER, Contact: CONTACT, LeadCategory: CATEGORY}


class ExternalId(Base):
    """``number`` stands for the ``kind`` entity ``entity_id``; handed out once, never reused."""

    __tablename__ = "external_ids"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("kind", "entity_id"),)


@event.listens_for(Session, "before_flush")
def _number_new_entities(session: Session, _context, _instances) -> None:
    """Gives every user, contact and lead category about to be inserted its number, in the
    order they were added to the session."""
    for entity in list(session.new):
        kind = KINDS.get(type(entity))
        if kind is None:
            continue
        if entity.id is None:
            entity.id = new_id()
        session.add(ExternalId(kind=kind, entity_id=entity.id))
