"""The delivery queue: claiming due deliveries (in order per lead and subscription) and
recording each try, with retries and pausing.

A delivery is due when it is pending, its time has come, no worker holds it (its lease
is over) and no earlier delivery of the same lead to the same subscription is pending:
a lead's events reach a receiver in the order they happened. Workers claim with
``FOR UPDATE SKIP LOCKED`` and a lease committed at once, so no delivery is held by two
workers and none waits for a transaction held through an HTTP call; a killed worker's
deliveries are claimed again when their lease ends (at least once).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session, aliased

from leadbook import models as m
from leadbook.config import Settings
from leadbook.domain import feed, subscriptions
from leadbook.webhooks.sending import Job, Result

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class Policy:
    """How deliveries are sent and retried (the ``LEADBOOK_WEBHOOK_*`` settings)."""

    timeout: float = 10
    max_bytes: int = 64 * 1024
    first: float = 10
    cap: float = 3600
    window: float = 24 * 3600
    lease: float = 300

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(
            timeout=settings.webhook_timeout_seconds,
            max_bytes=settings.webhook_max_response_bytes,
            first=settings.webhook_retry_first_seconds,
            cap=settings.webhook_retry_max_seconds,
            window=settings.webhook_retry_window_seconds,
            lease=settings.webhook_lease_seconds,
        )

    def delay(self, attempts: int) -> float:
        """Seconds before try ``attempts + 1``: first × 2^(attempts−1), at most cap, of
        which the upper half is random (jitter spreads a recovered receiver's load)."""
        base = min(self.first * 2 ** min(attempts - 1, 40), self.cap)
        return base / 2 + random.uniform(0, base / 2)


def _due(now: datetime) -> list[ColumnElement[bool]]:
    d = m.WebhookDelivery
    earlier = aliased(m.WebhookDelivery)
    blocked = (
        select(earlier.id)
        .where(
            earlier.subscription_id == d.subscription_id,
            earlier.lead_id == d.lead_id,
            earlier.position < d.position,
            earlier.state == PENDING,
        )
        .exists()
    )
    return [
        d.state == PENDING,
        d.next_attempt_at <= now,
        or_(d.leased_until.is_(None), d.leased_until <= now),
        m.WebhookSubscription.active.is_(True),
        ~blocked,
    ]


def claim(db: Session, policy: Policy, now: datetime, limit: int = 50) -> list[Job]:
    """Leases up to ``limit`` due deliveries (at most one per lead and subscription) to
    the caller, who commits at once; returns them ready to send."""
    d = m.WebhookDelivery
    joined = select(d.id).join(m.WebhookSubscription, m.WebhookSubscription.id == d.subscription_id)
    if db.scalar(joined.where(*_due(now)).limit(1)) is None:
        return []  # nothing due, and no lock taken (SQLite's write lock)
    rows = db.scalars(
        select(d)
        .join(m.WebhookSubscription, m.WebhookSubscription.id == d.subscription_id)
        .where(*_due(now))
        .order_by(d.position)
        .limit(limit)
        .with_for_update(skip_locked=True, of=d)
    ).all()
    if not rows:
        return []
    events = {
        e.position: e
        for e in db.scalars(
            select(m.FeedEvent).where(m.FeedEvent.position.in_([r.position for r in rows]))
        )
    }
    until = now + timedelta(seconds=policy.lease)
    jobs = []
    for row in rows:
        row.leased_until = until
        body = json.dumps(feed.envelope(events[row.position]), separators=(",", ":"))
        jobs.append(Job(row.id, row.position, row.subscription.url, row.subscription.secret, body))
    db.flush()
    return jobs


def record(
    db: Session, outcomes: Sequence[tuple[Job, Result]], policy: Policy, now: datetime
) -> None:
    """Logs each try; a pending delivery becomes delivered, is retried later, or fails once
    tried for the whole retry window, which pauses its subscription."""
    rows = {
        row.id: row
        for row in db.scalars(
            select(m.WebhookDelivery)
            .where(m.WebhookDelivery.id.in_([job.delivery_id for job, _ in outcomes]))
            .with_for_update()
        )
    }
    for job, result in outcomes:
        row = rows.get(job.delivery_id)
        if row is None:
            continue  # its subscription was deleted meanwhile
        db.add(
            m.WebhookAttempt(
                delivery_id=row.id,
                attempted_at=now,
                status_code=result.status,
                response_ms=result.ms,
                error=result.error,
            )
        )
        if row.state == PENDING:  # else redelivered, or delivered by a later claim
            _settle(row, result, policy, now)


def _settle(row: m.WebhookDelivery, result: Result, policy: Policy, now: datetime) -> None:
    row.attempts += 1
    row.first_attempt_at = row.first_attempt_at or now
    row.last_status, row.last_error, row.leased_until = result.status, result.error, None
    if result.ok:
        row.state, row.delivered_at = DELIVERED, now
    elif (now - row.first_attempt_at).total_seconds() >= policy.window:
        row.state = FAILED
        subscriptions.pause(
            row.subscription,
            f"Event {row.position} was not delivered in {row.attempts} tries over "
            f"{policy.window / 3600:g} h; last: {result.error}",
        )
    else:
        row.next_attempt_at = now + timedelta(seconds=policy.delay(row.attempts))


def purge(db: Session, before: datetime, limit: int = 5000) -> int:
    """Deletes up to ``limit`` deliveries delivered before ``before``, with their tries;
    never a pending or failed one. Returns how many."""
    d = m.WebhookDelivery
    ids = db.scalars(
        select(d.id)
        .where(d.state == DELIVERED, d.delivered_at < before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if ids:
        db.execute(delete(m.WebhookAttempt).where(m.WebhookAttempt.delivery_id.in_(ids)))
        db.execute(delete(d).where(d.id.in_(ids), d.state == DELIVERED))
    return len(ids)
