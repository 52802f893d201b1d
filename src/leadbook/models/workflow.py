"""The sales workflow on a lead: notes, activities, the per-status rotting thresholds of
lead types, and the breaches already announced (once per breach)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId, utcnow
from leadbook.models.reference import LeadStatus, LeadType, User


class ActivityKind(StrEnum):
    """What an activity is."""

    CALL = "CALL"
    MEETING = "MEETING"
    EMAIL = "EMAIL"
    TASK = "TASK"


class Note(HasId, Base):
    """A free text note on a lead, by its author."""

    __tablename__ = "lead_notes"
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)

    author: Mapped[User] = relationship()


class Activity(HasId, Base):
    """A call, meeting, email or task on a lead, due at a time, for an assignee; done
    once ``done_at`` is set."""

    __tablename__ = "lead_activities"
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    kind: Mapped[ActivityKind] = mapped_column(
        Enum(ActivityKind, native_enum=False, length=20, validate_strings=True)
    )
    subject: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    # a lead's next activity: its open ones by due time
    __table_args__ = (Index("ix_lead_activities_lead_open_due", "lead_id", "done_at", "due_at"),)


class RottingThreshold(HasId, Base):
    """How many days a lead of ``lead_type`` may stay in ``status`` untouched."""

    __tablename__ = "rotting_thresholds"
    lead_type_id: Mapped[str] = mapped_column(ForeignKey("lead_types.id", ondelete="CASCADE"))
    status_id: Mapped[str] = mapped_column(ForeignKey("lead_statuses.id", ondelete="CASCADE"))
    days: Mapped[int] = mapped_column(Integer)

    lead_type: Mapped[LeadType] = relationship()
    status: Mapped[LeadStatus] = relationship()
    __table_args__ = (UniqueConstraint("lead_type_id", "status_id"),)


class BreachNotice(Base):
    """A breach (``kind``: first_response or rotting) announced at ``level`` (breach or
    escalation): one per lead, kind, level and the moment the breach's clock started."""

    __tablename__ = "lead_breach_notices"
    lead_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[str] = mapped_column(String(20), primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
