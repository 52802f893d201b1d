"""Possible duplicates found when a contact was created, for a person to look at."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId, utcnow
from leadbook.models.lead import Lead
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


class LeadMerge(Base):
    """Lead ``merged`` merged into ``survivor`` at ``merged_at``: ``added`` holds the ids
    of the set rows the merge gave the survivor (by set), which an undo takes off."""

    __tablename__ = "lead_merges"
    # in the order made: merges into one survivor are made one at a time (its row locked)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survivor_id: Mapped[str] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True
    )
    merged_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    merged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str | None] = mapped_column(String(100))
    added: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)

    survivor: Mapped[Lead] = relationship(foreign_keys=[survivor_id])
    merged: Mapped[Lead] = relationship(foreign_keys=[merged_id])
