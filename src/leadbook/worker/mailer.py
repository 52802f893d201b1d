"""Sends the email outbox through the configured SMTP server (``LEADBOOK_SMTP_*``), at
least once: an email is marked sent in the transaction that follows its sending, so a
worker stopped between the two sends it again; a refused one is retried later."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.config import Settings
from leadbook.domain import clock

log = logging.getLogger("leadbook.mailer")
BATCH = 100
RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)


def _message(email: m.OutboxEmail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, email.to_address, email.subject
    message.set_content(email.body)
    return message


def send_due(db: Session, settings: Settings) -> int:
    """Sends the emails due (none without an SMTP host); returns how many were sent."""
    if not settings.smtp_host:
        return 0
    now = clock.now()
    outbox = m.OutboxEmail
    stmt = select(outbox).where(outbox.sent_at.is_(None), outbox.next_attempt_at <= now)
    emails = list(
        db.scalars(stmt.order_by(outbox.created_at).limit(BATCH).with_for_update(skip_locked=True))
    )
    if not emails:
        return 0
    sent = 0
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            for email in emails:
                try:
                    smtp.send_message(_message(email, settings.smtp_from))
                except smtplib.SMTPException as exc:
                    _retry(email, exc)
                    continue
                email.sent_at = clock.now()
                email.attempts += 1
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:  # no server, or it hung up
        log.warning("SMTP server %s unreachable: %s", settings.smtp_host, exc)
        for email in emails:
            if email.sent_at is None:
                _retry(email, exc)
    return sent


def _retry(email: m.OutboxEmail, exc: Exception) -> None:
    email.attempts += 1
    email.last_error = str(exc)[:500]
    email.next_attempt_at = clock.now() + min(RETRY * 2 ** min(email.attempts, 10), MAX_RETRY)
