"""What users are told: notifications in the app, and the outbox of their emails."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId, utcnow
from leadbook.models.reference import User


class UserNotification(HasId, Base):
    """A message for one user, about a lead (by number), unread until ``read_at``."""

    __tablename__ = "user_notifications"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    lead_number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
    __table_args__ = (Index("ix_user_notifications_user_read", "user_id", "read_at"),)


class OutboxEmail(HasId, Base):
    """An email waiting to be sent by the worker (at least once): retried until sent."""

    __tablename__ = "email_outbox"
    to_address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (Index("ix_email_outbox_sent_next", "sent_at", "next_attempt_at"),)
