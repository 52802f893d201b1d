"""The SMTP server (aiosmtpd): refuses recipients that are no intake address (550), reads
each message (malformed: 550, over the size limit: 552) and hands it to the domain in one
transaction per message; the reply says what became of it."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

import structlog
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.orm import sessionmaker

from leadbook.config import Settings
from leadbook.db import make_engine, make_sessionmaker, transaction
from leadbook.domain import mail
from leadbook.domain.errors import DomainError, NotFound
from leadbook.smtp.parse import MalformedMail, parse

log = structlog.stdlib.get_logger("leadbook.smtp")
REPLIES = {
    "created": "lead {lead} created",
    "added": "added to lead {lead}",
    "repeat": "already taken as lead {lead}",
    "skipped": "skipped ({reason})",
}


def _line(text: str) -> str:
    """``text`` fit for one SMTP reply line (ASCII, no line breaks)."""
    return " ".join(text.split()).encode("ascii", "replace").decode()[:400]


class Handler:
    """aiosmtpd's handler: the database work runs in a thread, off the event loop."""

    def __init__(self, sessions: sessionmaker):
        self.sessions = sessions

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        try:
            await asyncio.to_thread(self._form, address)
        except NotFound:
            log.info("mail refused", recipient=address, reason="no intake address")
            return f"550 5.1.1 <{_line(address)}>: no such intake address"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        try:
            message = parse(
                envelope.original_content or b"", (envelope.mail_from or "").strip("<>")
            )
        except MalformedMail as exc:
            log.info("mail refused", reason=str(exc), mail_from=envelope.mail_from)
            return f"550 5.6.0 Malformed mail: {_line(str(exc))}"
        try:
            done = await asyncio.to_thread(self._receive, envelope.rcpt_tos, message)
        except DomainError as exc:
            log.info("mail refused", reason=exc.message, sender=message.sender)
            return f"550 5.7.1 Not taken: {_line(exc.message)}"
        except Exception:
            log.exception("mail failed", sender=message.sender)
            return "451 4.3.0 Not taken now; try again later"
        for recipient, received in done:
            log.info(
                "mail " + received.outcome,
                recipient=recipient,
                sender=message.sender,
                message_id=message.message_id,
                lead=received.lead,
                reason=received.reason,
            )
        said = "; ".join(REPLIES[received.outcome].format(**vars(received)) for _, received in done)
        return f"250 2.0.0 {_line(said)}"

    def _form(self, address: str) -> None:
        with transaction(self.sessions) as db:
            mail.form_for(db, address)

    def _receive(self, recipients: list[str], message: mail.InboundMail) -> list[tuple[str, Any]]:
        with transaction(self.sessions) as db:
            return [(r, mail.receive(db, mail.form_for(db, r), message)) for r in recipients]


async def _run(settings: Settings, host: str, port: int) -> None:
    engine = make_engine(
        settings.database_url,
        busy_timeout=settings.busy_timeout_seconds,
        pool_size=settings.db_pool_size,
    )
    handler = Handler(make_sessionmaker(engine))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(
            handler,
            data_size_limit=settings.smtp_max_message_bytes,
            enable_SMTPUTF8=True,
            ident="Leadbook intake",
        ),
        host=host,
        port=port,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    logging.getLogger("leadbook.smtp").info("listening on %s:%s", host, port)
    async with server:
        await stop.wait()
    engine.dispose()


def run(settings: Settings, host: str, port: int) -> None:
    """Serves SMTP on ``host``:``port`` until SIGTERM or Ctrl-C."""
    asyncio.run(_run(settings, host, port))
