"""The integration events: the change feed, webhook subscriptions and their deliveries,
the worker's heartbeats and the due-date notices it has sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId, utcnow


class FeedEvent(Base):
    """One typed event of the change feed, derived from a recorded change (or sent by the
    scheduler). ``position`` is the feed cursor: given at commit, in commit order, without
    gaps (``domain.feed``); null only until its transaction commits."""

    __tablename__ = "feed_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    position: Mapped[int | None] = mapped_column(Integer, unique=True)
    type: Mapped[str] = mapped_column(String(40))
    lead_id: Mapped[str] = mapped_column(String(32), index=True)
    lead_number: Mapped[int] = mapped_column(Integer)
    lead_type_id: Mapped[str | None] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class WebhookSubscription(HasId, Base):
    """Where to send which events. ``position``: the feed position up to which events
    were turned into deliveries. A paused subscription (``active`` false) says why."""

    __tablename__ = "webhook_subscriptions"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list] = mapped_column(JSON, default=list)
    lead_types: Mapped[list] = mapped_column(JSON, default=list)  # names; empty: every type
    fields: Mapped[list] = mapped_column(JSON, default=list)  # lead.updated only; empty: any
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event to send to one subscription: ``pending`` until ``delivered`` (a 2xx), or
    ``failed`` once retried past the retry window. A worker holds it while
    ``leased_until`` is in the future."""

    __tablename__ = "webhook_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    lead_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    leased_until: Mapped[datetime | None] = mapped_column(DateTime)
    first_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)

    subscription: Mapped[WebhookSubscription] = relationship()
    __table_args__ = (
        UniqueConstraint("subscription_id", "position"),
        Index("ix_webhook_deliveries_state_next", "state", "next_attempt_at"),
        Index("ix_webhook_deliveries_lead", "subscription_id", "lead_id", "position"),
    )


class WebhookAttempt(Base):
    """One try at a delivery: when, the answer's status and time, or the error."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(DateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class WorkerHeartbeat(Base):
    """A running worker's last sign of life (``worker.heartbeat``)."""

    __tablename__ = "worker_heartbeats"
    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    beat_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class DueNotice(Base):
    """A ``lead.overdue`` or ``lead.close_to_completion`` event sent for a lead's due day:
    one per lead, kind and expected completion day."""

    __tablename__ = "lead_due_notices"
    lead_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
