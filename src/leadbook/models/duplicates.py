"""Possible duplicates found when a contact was created, for a person to look at."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId, utcnow
from leadbook.models.parties import Contact


class DuplicateCandidate(HasId, Base):
    """``contact`` (the newer) may be the same person as ``candidate``: ``reason`` says
    why (email, phone: an exact match created anyway; same_name,
    similar_name: a near match), ``score`` how alike the names are (0–100)."""

    __tablename__ = "duplicate_candidates"
    __table_args__ = (UniqueConstraint("contact_id", "candidate_id"),)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer, default=100)
    found_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    contact: Mapped[Contact] = relationship(foreign_keys=[contact_id])
    candidate: Mapped[Contact] = relationship(foreign_keys=[candidate_id])
