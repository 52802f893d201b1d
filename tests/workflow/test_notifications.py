"""Notifications: stored per user, marked read; by email too for users who chose it, sent
from the outbox by the worker through a real SMTP server (an aiosmtpd sink), at least once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.config import Settings
from leadbook.domain.workflow import notify
from leadbook.worker import mailer
from tests.web.conftest import free_port
from tests.workflow import smtpsink


@pytest.fixture
def smtp():
    controller, sink = smtpsink.start()
    yield controller.port, sink
    controller.stop()


def _outbox(db) -> list[m.OutboxEmail]:
    return list(db.scalars(select(m.OutboxEmail)))


def test_in_app_only_users_get_no_email(db, users, lead, frozen):
    users["sam"].email = "sam@example.test"
    notify.notify(db, users["sam"], "lead.rotting", "Lead #40 is rotting", lead)
    assert notify.unread_count(db, users["sam"]) == 1 and _outbox(db) == []
    assert notify.mark_read(db, users["sam"]) == 1
    assert notify.unread_count(db, users["sam"]) == 0


def test_emails_are_sent_through_the_smtp_server_once_delivered(db, users, lead, smtp, frozen):
    port, sink = smtp
    sam = users["sam"]
    sam.email, sam.email_notifications = "sam@example.test", True
    notify.notify(db, sam, "lead.rotting", "Lead #40 is rotting", lead)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="crm@example.test")
    assert mailer.send_due(db, settings) == 1
    assert mailer.send_due(db, settings) == 0
    (message,) = sink.messages
    assert message["To"] == "sam@example.test" and message["From"] == "crm@example.test"
    assert "Lead #40 is rotting" in message["Subject"]
    assert _outbox(db)[0].sent_at is not None


def test_an_unreachable_server_leaves_the_email_for_a_later_try(db, users, lead, frozen):
    sam = users["sam"]
    sam.email, sam.email_notifications = "sam@example.test", True
    notify.notify(db, sam, "lead.rotting", "Lead #40 is rotting", lead)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout_seconds=2)
    assert mailer.send_due(db, settings) == 0
    (email,) = _outbox(db)
    assert email.sent_at is None and email.attempts == 1 and email.last_error
    assert email.next_attempt_at > frozen
    assert mailer.send_due(db, Settings(smtp_host="")) == 0  # no SMTP host: nothing sent


def test_notifications_over_http(client, db, users, lead, bearer, frozen):
    notify.notify(db, users["sam"], "lead.rotting", "Lead #40 is rotting", lead)
    db.commit()
    sam = bearer("sam")
    listed = client.get("/api/notifications", headers=sam).json()
    assert listed["unread"] == 1 and listed["notifications"][0]["lead_number"] == 40
    other = client.post(
        f"/api/notifications/{listed['notifications'][0]['id']}/read", headers=bearer("boss")
    )
    assert other.status_code == 404
    read = client.post(f"/api/notifications/{listed['notifications'][0]['id']}/read", headers=sam)
    assert read.json() == {"unread": 0}
    bad = client.put("/api/notifications/preferences", json={"email": "often"}, headers=sam)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "email"
    assert client.put(
        "/api/notifications/preferences", json={"email": True}, headers=sam
    ).json() == {"email": True}
