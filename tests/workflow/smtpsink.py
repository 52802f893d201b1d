"""A real local SMTP server (aiosmtpd) keeping the messages it receives."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller

from tests.web.conftest import free_port


class Sink:
    """Handles SMTP DATA by keeping the message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def start() -> tuple[Controller, Sink]:
    """Starts a sink on a free local port; the caller stops the controller."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, sink
