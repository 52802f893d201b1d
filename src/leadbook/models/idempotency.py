"""Answers kept for Idempotency-Key: a repeated request gets the first one's answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base


class IdempotentAnswer(Base):
    """The answer given to ``key`` of caller ``scope`` until ``expires_at``;
    ``request_digest`` tells a repeat from another request reusing the key."""

    __tablename__ = "idempotent_answers"
    __table_args__ = (UniqueConstraint("scope", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    headers: Mapped[str] = mapped_column(String(2000), default="")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
