"""The report's summary of lead history: each stay of a lead in a status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.access import AccessCopy
from leadbook.models.base import Base


class LeadStage(AccessCopy, Base):
    """A lead's stay in a status: entered at ``entered_at``, left at ``left_at`` (None
    while it is there); ``first`` marks its first stay in that status. Written in the
    transaction that moves the lead (domain/stages.py); no foreign key, like the audit
    trail, and reports join the leads they may show."""

    __tablename__ = "lead_stages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(String(32))
    type_id: Mapped[str] = mapped_column(String(32))
    status_id: Mapped[str] = mapped_column(String(32))
    life_cycle_state: Mapped[str] = mapped_column(String(20))
    entered_at: Mapped[datetime] = mapped_column(DateTime)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    first: Mapped[bool] = mapped_column(Boolean, default=True)
    user_id: Mapped[str | None] = mapped_column(String(32))
    # left_at − entered_at in seconds, written when the stay ends (None while open)
    seconds: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("ix_lead_stages_lead_left", "lead_id", "left_at"),
        Index("ix_lead_stages_type_entered", "type_id", "entered_at", "status_id"),
        Index("ix_lead_stages_type_left", "type_id", "left_at", "status_id"),
        # time in status: each status's durations in order, read from the index alone
        Index("ix_lead_stages_type_status_seconds", "type_id", "status_id", "seconds", "left_at"),
        # a salesman's funnel and time in status: his stays alone, from the index alone
        Index(
            "ix_lead_stages_user_type_entered",
            "assigned_user_id",
            "type_id",
            "entered_at",
            postgresql_include=["first", "status_id", "privacy_level_id"],
        ),
        Index(
            "ix_lead_stages_user_type_left",
            "assigned_user_id",
            "type_id",
            "left_at",
            postgresql_include=["status_id", "seconds", "privacy_level_id"],
        ),
        Index("ix_lead_stages_group", "owned_by_group_id"),
    )
