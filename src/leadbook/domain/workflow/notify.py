"""Notifications: stored per user (read in the app), and for users who asked for it an
email queued in the outbox in the same transaction (the worker sends it: ``mailer``)."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import clock
from leadbook.domain.errors import NotFound
from leadbook.models.base import new_id

PAGE = 100


Notice = tuple[m.User, str, str, m.Lead | None]  # to whom, kind, text, about which lead


def notify(db: Session, user: m.User, kind: str, text: str, lead: m.Lead | None = None) -> None:
    """Tells ``user`` ``text`` (a notification of ``kind``; by email too when the user
    chose it and has an address)."""
    notify_all(db, [(user, kind, text, lead)])


def notify_all(db: Session, notices: list[Notice]) -> None:
    """Makes every notification of ``notices`` (and the emails of those users who chose
    them), in one bulk insert per table."""
    now = clock.now()
    told, mails = [], []
    for user, kind, text, lead in notices:
        number = lead.number if lead is not None else None
        told.append(
            {"id": new_id(), "user_id": user.id, "kind": kind, "text": text,
             "lead_number": number, "created_at": now}
        )  # fmt: skip
        if user.email_notifications and user.email:
            body = f"{text}\n" + (f"\nLead #{number}\n" if number is not None else "")
            mails.append(
                {"id": new_id(), "to_address": user.email, "subject": f"[Leadbook] {text}"[:300],
                 "body": body, "created_at": now, "next_attempt_at": now, "attempts": 0}
            )  # fmt: skip
    if told:
        db.execute(insert(m.UserNotification), told)
    if mails:
        db.execute(insert(m.OutboxEmail), mails)


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
