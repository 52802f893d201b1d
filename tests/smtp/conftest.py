"""A real `leadbook smtp` process on a free port against the committed test database
(one per module, stopped at its end), an intake address on it, and mail to send."""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
import time
import uuid
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from sqlalchemy import select

from leadbook import models as m
from tests.ops.served import BOUND, free_port

LEADBOOK = Path(sys.executable).parent / "leadbook"
MAX_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def smtp_port(database_url, tmp_path_factory):
    """The port of a `leadbook smtp` on the committed database (messages over 64 KiB
    refused), its output in a log file."""
    port = free_port()
    log = tmp_path_factory.mktemp("smtp") / "smtp.log"
    env = {
        **os.environ,
        "LEADBOOK_DATABASE_URL": database_url,
        "LEADBOOK_SMTP_MAX_MESSAGE_BYTES": str(MAX_BYTES),
        "LEADBOOK_SMTP_DESCRIPTION_CHARS": "200",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(LEADBOOK), "smtp", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + BOUND
        while True:
            assert process.poll() is None, log.read_text()
            try:
                smtplib.SMTP("127.0.0.1", port, timeout=5).quit()
                break
            except OSError:
                assert time.monotonic() < deadline, f"no SMTP within {BOUND} s"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(20)


@pytest.fixture
def address(db, demo) -> str:
    """An intake address (its form's leads: New Customer, created as mariosm)."""
    user = db.scalar(select(m.User).where(m.User.username == "mariosm"))
    lead_type = db.scalar(select(m.LeadType).where(m.LeadType.name == "New Customer"))
    key = f"mail-{uuid.uuid4().hex[:8]}"
    db.add(
        m.IntakeForm(
            key=key,
            lead_type=lead_type,
            user=user,
            field_map={},
            source_type="OTHER",
            email_address=f"{key}@leads.test",
        )
    )
    db.commit()
    return f"{key}@leads.test"


def mail(sender="Ada Lovelace <ada@engines.test>", subject="Quote for 3 engines", **headers):
    """A plain message from ``sender``; ``headers`` (``Message_ID`` …) join it."""
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Hello,\nwe need three engines by March.\n")
    return message


@pytest.fixture
def send(smtp_port):
    """Sends a message (bytes or EmailMessage) to ``to`` from the envelope sender
    ``mail_from``; returns the (code, text) of the last reply."""

    def send(message, to, mail_from="ada@engines.test") -> tuple[int, str]:
        content = message if isinstance(message, bytes) else message.as_bytes(policy=SMTP)
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
            client.ehlo()
            code, text = client.mail(mail_from)
            assert code == 250, text
            code, text = client.rcpt(to)
            if code != 250:
                return code, text.decode()
            code, text = client.data(content)
            return code, text.decode()

    return send
