"""A real `leadbook worker` process runs the breach job and sends the notification email
through a real SMTP server (an aiosmtpd sink), once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import select, update

from leadbook import models as m
from tests.events.conftest import until
from tests.events.test_worker_process import worker
from tests.workflow import smtpsink


def test_the_worker_tells_the_assignee_by_email(database_url, db, demo, tmp_path):
    now = datetime.utcnow().replace(microsecond=0)
    db.execute(update(m.Lead).values(last_activity_at=now))  # answered, all but lead 40
    lead = db.scalar(select(m.Lead).where(m.Lead.number == 40))
    lead.created_date = lead.updated_date = now - timedelta(hours=2)
    lead.last_activity_at = None
    lead.type.first_response_minutes = 60
    admin = lead.assigned_user
    admin.email, admin.email_notifications = "admin@example.test", True
    db.commit()
    controller, sink = smtpsink.start()
    env = {
        "LEADBOOK_SMTP_HOST": "127.0.0.1",
        "LEADBOOK_SMTP_PORT": str(controller.port),
        "LEADBOOK_WORKER_JOBS_SECONDS": "0.5",
    }
    try:
        with worker(database_url, tmp_path / "worker.log", **env):
            until(lambda: sink.messages, "the worker sends the email")
            time.sleep(1.5)  # more rounds of the job: still one email
    finally:
        controller.stop()
    (email,) = sink.messages
    assert email["To"] == "admin@example.test"
    assert "Lead #40" in email["Subject"] and "missed its first response" in email["Subject"]
    db.rollback()
    assert db.scalar(select(m.OutboxEmail.sent_at)) is not None
