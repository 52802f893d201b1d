"""Notifications: stored per user (read in the app), and for users who asked for it an
email queued in the outbox in the same transaction (the worker sends it: ``mailer``)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import clock
from leadbook.domain.errors import NotFound

PAGE = 100


def notify(db: Session, user: m.User, kind: str, text: str, lead: m.Lead | None = None) -> None:
    """Tells ``user`` ``text`` (a notification of ``kind``; by email too when the user
    chose it and has an address)."""
    now = clock.now()
    number = lead.number if lead is not None else None
    db.add(m.UserNotification(user=user, kind=kind, text=text, lead_number=number, created_at=now))
    if user.email_notifications and user.email:
        subject = f"[Leadbook] {text}"[:300]
        body = f"{text}\n" + (f"\nLead #{number}\n" if number is not None else "")
        db.add(
            m.OutboxEmail(
                to_address=user.email,
                subject=subject,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
        )


def unread_count(db: Session, user: m.User) -> int:
    """Returns how many notifications ``user`` has not read."""
    stmt = select(func.count()).select_from(m.UserNotification)
    un = m.UserNotification
    return db.scalar(stmt.where(un.user_id == user.id, un.read_at.is_(None))) or 0


def of_user(db: Session, user: m.User, *, unread: bool = False) -> list[m.UserNotification]:
    """Returns the newest notifications of ``user`` (only unread ones with ``unread``)."""
    un = m.UserNotification
    stmt = select(un).where(un.user_id == user.id)
    if unread:
        stmt = stmt.where(un.read_at.is_(None))
    return list(db.scalars(stmt.order_by(un.created_at.desc(), un.id).limit(PAGE)))


def mark_read(db: Session, user: m.User, notification_id: str | None = None) -> int:
    """Marks notification ``notification_id`` of ``user`` read (every one when None);
    returns how many were unread."""
    un = m.UserNotification
    if notification_id is not None:
        row = db.get(un, notification_id)
        if row is None or row.user_id != user.id:
            raise NotFound(f"You have no notification {notification_id!r}", field="notification")
    stmt = update(un).where(un.user_id == user.id, un.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(un.id == notification_id)
    return db.execute(stmt.values(read_at=clock.now())).rowcount  # type: ignore[attr-defined]


def set_email(db: Session, user: m.User, email: bool) -> None:
    """Sets whether ``user`` gets notifications by email too (else in the app only)."""
    user.email_notifications = email
    db.flush()
