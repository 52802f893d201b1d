"""Subscriptions and their delivery log as the admin API and the CLI show them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain.errors import InvalidValue

STATES = ("pending", "delivered", "failed")


def subscription(row: m.WebhookSubscription, *, secret: bool = False) -> dict[str, Any]:
    """Returns ``row`` as shown (its secret only when asked)."""
    shown = {
        "name": row.name,
        "url": row.url,
        "event_types": row.event_types,
        "lead_types": row.lead_types,
        "fields": row.fields,
        "active": row.active,
        "paused_reason": row.paused_reason,
        "position": row.position,
    }
    if secret:
        shown["secret"] = row.secret
    return shown


def deliveries(
    db: Session, sub: m.WebhookSubscription, *, state: str | None, after: int, limit: int
) -> list[dict[str, Any]]:
    """Returns the deliveries of ``sub`` after event position ``after`` with every try
    (``state``: only those pending, delivered or failed; another is refused)."""
    if state is not None and state not in STATES:
        raise InvalidValue(f"{{field}} must be one of {', '.join(STATES)}", field="state")
    d = m.WebhookDelivery
    query = (
        select(d)
        .where(d.subscription_id == sub.id, d.position > after)
        .order_by(d.position)
        .limit(limit)
    )
    if state is not None:
        query = query.where(d.state == state)
    rows = db.scalars(query).all()
    tries: dict[int, list[dict[str, Any]]] = {row.id: [] for row in rows}
    for attempt in db.scalars(
        select(m.WebhookAttempt)
        .where(m.WebhookAttempt.delivery_id.in_(tries))
        .order_by(m.WebhookAttempt.id)
    ):
        tries[attempt.delivery_id].append(
            {
                "at": attempt.attempted_at.isoformat(),
                "status": attempt.status_code,
                "response_ms": attempt.response_ms,
                "error": attempt.error,
            }
        )
    return [
        {
            "event": f"evt_{row.position}",
            "position": row.position,
            "state": row.state,
            "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at.isoformat() if row.state == "pending" else None,
            "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
            "last_status": row.last_status,
            "last_error": row.last_error,
            "tries": tries[row.id],
        }
        for row in rows
    ]


def all_subscriptions(db: Session) -> list[m.WebhookSubscription]:
    """Returns every subscription by name."""
    return list(db.scalars(select(m.WebhookSubscription).order_by(m.WebhookSubscription.name)))
