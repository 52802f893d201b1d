"""The mail messages recorded on leads, by Message-ID: a reply names one of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base, HasId, utcnow


class LeadMessage(HasId, Base):
    """A message that made or joined ``lead_id``: a later mail whose In-Reply-To or
    References names its ``message_id`` joins the same lead; one delivered again is
    recognised and not taken twice."""

    __tablename__ = "lead_messages"
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
