"""Saved views of the lead list: a user's named filters and sort, maybe shared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId, utcnow
from leadbook.models.reference import User


class SavedView(HasId, Base):
    """The lead list's query string (filters and sort) under a name its owner chose;
    ``shared`` views are listed to every user."""

    __tablename__ = "saved_views"
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    owner: Mapped[User] = relationship()
    __table_args__ = (UniqueConstraint("owner_id", "name"),)
