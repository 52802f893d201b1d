"""Turning feed events into deliveries, once per subscription that wants them, in feed
order; and manual redelivery of one event or a range."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import feed, subscriptions
from leadbook.domain.errors import InvalidValue
from leadbook.webhooks.clock import precise_now

MAX_RANGE = 10_000


def fan_out(db: Session, limit: int = 500) -> int:
    """Adds the deliveries of up to ``limit`` new events per active subscription; returns
    how many. Each subscription is locked while done (``SKIP LOCKED``: workers share)."""
    behind = db.scalar(
        select(func.min(m.WebhookSubscription.position)).where(m.WebhookSubscription.active)
    )
    if behind is None or behind >= feed.last_position(db):
        return 0  # nothing to do, and no lock taken (SQLite's write lock)
    subs = db.scalars(
        select(m.WebhookSubscription)
        .where(m.WebhookSubscription.active)
        .with_for_update(skip_locked=True)
    ).all()
    names = _type_names(db)
    now = precise_now()
    made = 0
    for sub in subs:
        found = db.scalars(
            select(m.FeedEvent)
            .where(m.FeedEvent.position > sub.position)
            .order_by(m.FeedEvent.position)
            .limit(limit)
        ).all()
        for event in found:
            if subscriptions.wants(sub, event, names):
                db.add(_delivery(sub, event, now))
                made += 1
        if found:
            sub.position = found[-1].position or sub.position
    db.flush()
    return made


def redeliver(db: Session, sub: m.WebhookSubscription, first: int, last: int) -> int:
    """Sends the events from position ``first`` to ``last`` again (those ``sub`` wants),
    at once and whatever became of them; returns how many."""
    if first < 1 or last < first or last - first >= MAX_RANGE:
        raise InvalidValue(
            f"{{field}}: give 1 ≤ from ≤ to, at most {MAX_RANGE} events apart", field="from"
        )
    names = _type_names(db)
    now = precise_now()
    existing = {
        d.position: d
        for d in db.scalars(
            select(m.WebhookDelivery).where(
                m.WebhookDelivery.subscription_id == sub.id,
                m.WebhookDelivery.position.between(first, last),
            )
        )
    }
    count = 0
    for event in db.scalars(
        select(m.FeedEvent)
        .where(m.FeedEvent.position.between(first, last))
        .order_by(m.FeedEvent.position)
    ):
        if not subscriptions.wants(sub, event, names):
            continue
        delivery = existing.get(event.position or 0)
        if delivery is None:
            db.add(_delivery(sub, event, now))
        else:
            delivery.state, delivery.next_attempt_at = "pending", now
            delivery.leased_until = delivery.first_attempt_at = None
        count += 1
    db.flush()
    return count


def _delivery(sub: m.WebhookSubscription, event: m.FeedEvent, now) -> m.WebhookDelivery:
    return m.WebhookDelivery(
        subscription_id=sub.id,
        position=event.position,
        lead_id=event.lead_id,
        state="pending",
        attempts=0,
        next_attempt_at=now,
    )


def _type_names(db: Session) -> dict[str, str]:
    return {row.id: row.name for row in db.scalars(select(m.LeadType))}
