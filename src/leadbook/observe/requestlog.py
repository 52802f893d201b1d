"""One log line per request, with its request id: taken from the client's ``X-Request-ID``
when it is a sane one (1 to 128 letters, digits and ``-_.:``), made up otherwise; returned
in the answer's ``X-Request-ID`` and bound to every line logged while the request runs.

A made-up id is 32 hex digits: 64 random bits drawn once per process (again in a forked
child) and a per-process counter, so ids never repeat within a server and differ between
processes without reading the system's random source on each request."""

from __future__ import annotations

import itertools
import os
import re
import secrets
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-request-id"
SANE = re.compile(rb"[A-Za-z0-9_.:-]{1,128}")
log = structlog.stdlib.get_logger("leadbook.request")
_prefix = ""
_counter = itertools.count()


def _new_process() -> None:
    """Draws this process's prefix and restarts its counter."""
    global _prefix, _counter
    _prefix, _counter = secrets.token_hex(8), itertools.count()


_new_process()
os.register_at_fork(after_in_child=_new_process)


def made_up() -> str:
    """Returns a new request id: this process's prefix, then its counter's next value."""
    return f"{_prefix}{next(_counter):016x}"


def request_id(scope: Scope) -> str:
    """Returns the client's request id when it is sane, else a new one."""
    for name, value in scope["headers"]:
        if name == HEADER and SANE.fullmatch(value):
            return value.decode()
    return made_up()


def _target(scope: Scope) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    return scope["path"] + (f"?{query}" if query else "")


class RequestLog:
    """ASGI middleware: the request id, and the line logged when the answer is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode())]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=rid):
            try:
                await self.app(scope, receive, sending)
            finally:
                client = scope.get("client")
                log.info(
                    "request",
                    method=scope["method"],
                    path=_target(scope),
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                    client=client[0] if client else None,
                )
