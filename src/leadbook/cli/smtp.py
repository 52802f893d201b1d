"""leadbook smtp: mail to intake addresses becomes leads."""

from __future__ import annotations

import logging.config

import typer

from leadbook.cli.common import fail, ready


def smtp(
    host: str = typer.Option(None, help="Address to listen on [LEADBOOK_SMTP_LISTEN_HOST]"),
    port: int = typer.Option(None, help="Port to listen on [LEADBOOK_SMTP_LISTEN_PORT]"),
) -> None:
    """Receives mail (SMTP) for the intake forms' email addresses and makes each message
    a lead, or adds a reply to its open lead; skips bounces, auto-replies, list mail and
    no-reply senders; refuses other recipients (see docs/capture.md). Refuses to start
    on a database whose schema is missing or not at head."""
    from leadbook.observe import logs
    from leadbook.smtp.server import run

    given = {"smtp_listen_host": host, "smtp_listen_port": port}
    settings = ready(given, "not receiving mail")
    logging.config.dictConfig(logs.config(settings.log_level, settings.log_format))
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
    try:
        run(settings, settings.smtp_listen_host, settings.smtp_listen_port)
    except OSError as exc:  # the port taken, the address not this host's
        fail(exc)
