"""What operators watch of the webhook deliveries: the queue's depth and the age of its
oldest pending event as ``/metrics`` gauges (read at each scrape), and, where workers are
expected (``LEADBOOK_EXPECT_WORKER``), a ``/readyz`` check that one beat lately."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.config import Settings
from leadbook.observe.metrics import gauge_at_scrape
from leadbook.webhooks.clock import precise_now
from leadbook.webhooks.queue import PENDING
from leadbook.worker.heartbeat import STALE, worker_alive


def queue_depth(db: Session) -> int:
    """Deliveries not yet delivered nor given up."""
    pending = select(func.count()).where(m.WebhookDelivery.state == PENDING)
    return db.scalar(pending) or 0


def oldest_pending_seconds(db: Session) -> float:
    """Seconds since the event of the oldest pending delivery happened (0 when none)."""
    oldest = db.scalar(
        select(func.min(m.FeedEvent.occurred_at))
        .join(m.WebhookDelivery, m.WebhookDelivery.position == m.FeedEvent.position)
        .where(m.WebhookDelivery.state == PENDING)
    )
    return max(0.0, (precise_now() - oldest).total_seconds()) if oldest else 0.0


def _reading(read: Callable[[Session], float]) -> Callable[[FastAPI], float]:
    def at_scrape(app: FastAPI) -> float:
        try:
            with app.state.sessionmaker() as db:
                return float(read(db))
        except SQLAlchemyError:
            return float("nan")

    return at_scrape


def worker_check(conn: Connection) -> str | None:
    """The readiness check: None when some worker beat within the last 30 seconds."""
    if worker_alive(Session(bind=conn), within=STALE):
        return None
    return f"no worker beat in the last {STALE:.0f} seconds (is `leadbook worker` running?)"


def install(app: FastAPI, settings: Settings) -> None:
    """Adds the gauges, and the worker's readiness check when workers are expected."""
    gauge_at_scrape(
        "leadbook_webhook_queue_depth",
        "Webhook deliveries pending",
        _reading(queue_depth),
    )
    gauge_at_scrape(
        "leadbook_webhook_oldest_pending_seconds",
        "Age of the event of the oldest pending webhook delivery",
        _reading(oldest_pending_seconds),
    )
    if settings.expect_worker:
        app.state.readiness_checks["worker"] = worker_check
