"""Access tokens issued by login, and the web API keys integrators log in with; only a hash
of each is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from leadbook.models.base import Base, utcnow
from leadbook.models.reference import Unit, User


class _Grant:
    """What a token and a key both hold: whose it is, the unit it acts in, its life."""

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    @declared_attr
    def user(cls) -> Mapped[User]:
        return relationship()

    @declared_attr
    def unit(cls) -> Mapped[Unit | None]:
        return relationship()


class AccessToken(_Grant, Base):
    """A login session. ``expires_at`` null means a long-lived API token."""

    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApiKey(_Grant, Base):
    """A web API key: exchanged for a short-lived token at ``authentication/web_api_key/token``."""

    __tablename__ = "api_keys"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class RateCounter(Base):
    """A rate-limit counter of the database store (``leadbook.auth.counters``): hits in the
    window ending at ``expires_at`` (seconds since the epoch)."""

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
