"""Workers' heartbeats: each running worker stamps its row every few seconds, so a health
check can tell whether events are being delivered (``worker_alive``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.webhooks.clock import precise_now

INTERVAL = 5.0  # seconds between beats
STALE = 30.0  # a worker silent this long is gone
FORGOTTEN = timedelta(days=1)  # rows of workers gone this long are deleted


def beat(db: Session, worker_id: str, started_at: datetime) -> None:
    """Stamps ``worker_id`` alive now; forgets workers gone for a day."""
    now = precise_now()
    db.merge(m.WorkerHeartbeat(worker_id=worker_id, started_at=started_at, beat_at=now))
    db.execute(delete(m.WorkerHeartbeat).where(m.WorkerHeartbeat.beat_at < now - FORGOTTEN))


def worker_alive(db: Session, within: float = STALE) -> bool:
    """Returns whether some worker (a `leadbook worker` or the one inside `leadbook serve`)
    beat within the last ``within`` seconds."""
    since = precise_now() - timedelta(seconds=within)
    return (
        db.scalar(
            select(m.WorkerHeartbeat.worker_id).where(m.WorkerHeartbeat.beat_at >= since).limit(1)
        )
        is not None
    )
