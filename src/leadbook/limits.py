"""Request limits applied before any route runs: a body size cap, a per-client rate limit,
and the failed-login limits' bookkeeping.

``Limits`` is plain ASGI middleware installed by ``create_app``. It refuses

- a body over ``settings.max_body_bytes`` with 413 ``REQUEST_TOO_LARGE``: at once when the
  declared ``Content-Length`` is over the cap, and for a body sent without a length
  (chunked) by reading it up to the cap before the route sees it. This covers every route,
  including those whose body FastAPI parses itself (the admin API);
- more than ``settings.rate_limit_per_minute`` requests (0 = no limit) from one client in a
  minute with 429 ``TOO_MANY_REQUESTS`` and a ``Retry-After`` header. A client is the token
  it shows (``Authorization: Bearer``, ``?token=``, the web session cookie), the username of
  HTTP Basic credentials, or else its network address. Counted in the shared store
  (``leadbook.auth.counters``), so the limit holds across workers and instances; health
  checks and static files are not counted.

It also opens each request's ``leadbook.auth.guesses.Attempt`` and stores the failed logins
the route noted before the answer leaves (made-up tokens, names or keys are limited there,
per address and per user name, whatever the client claims to be).

Each refusal is rendered by the face owning the path, so a CRM.COM caller gets the
``{"data": null, "status": …}`` envelope, an XML caller ``<errors>``, the admin API
``{"error": …}``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from urllib.parse import parse_qs

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadbook.auth import guesses
from leadbook.auth.ratelimit import Limiters, TooManyRequests, digest
from leadbook.domain.errors import DomainError, RequestTooLarge
from leadbook.faces import Face, content_length, route_path

SESSION_COOKIE = "leadbook_session"  # leadbook.web.session.COOKIE
# never counted against the rate: health and readiness checks, metrics, static files
UNCOUNTED = ("/healthz", "/readyz", "/metrics", "/web/static/")


def client_key(scope: Scope) -> str:
    """Names the client of a request: its token, Basic username, or network address."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        return "token:" + digest(credentials)
    if scheme.lower() == "basic" and credentials:
        try:
            username = base64.b64decode(credentials, validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            username = ""
        if username:
            return "basic:" + digest(username)
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token") and query["token"][0]:
        return "token:" + digest(query["token"][0])
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return "token:" + digest(value)
    client = scope.get("client")
    return "address:" + (client[0] if client else "unknown")


class _TooLarge(Exception):
    pass


class Limits:
    """ASGI middleware enforcing the body cap and the rate limit (see the module doc)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, faces: Sequence[Face] = ()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.faces = list(faces)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limiters: Limiters = scope["app"].state.limiters
        if limiters.requests is not None and not route_path(scope).startswith(UNCOUNTED):
            try:
                await to_thread.run_sync(limiters.hit_request, client_key(scope))
            except TooManyRequests as refusal:
                response = self.render(scope, refusal)
                response.headers["Retry-After"] = str(refusal.retry_after)
                await response(scope, receive, send)
                return
        declared = content_length(scope["headers"])
        if declared is not None and declared > self.max_body_bytes:
            await self.render(scope, self._too_large())(scope, receive, send)
            return
        if declared is None and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            try:
                receive = await self._buffered(receive)
            except _TooLarge:
                await self.render(scope, self._too_large())(scope, receive, send)
                return
        client = scope.get("client")
        attempt = guesses.Attempt(limiters, client[0] if client else "unknown")
        reset = guesses.current.set(attempt)
        try:
            await self.app(scope, receive, _storing(attempt, send))
        finally:
            guesses.current.reset(reset)

    def _too_large(self) -> RequestTooLarge:
        return RequestTooLarge(f"The request body is larger than {self.max_body_bytes} bytes")

    async def _buffered(self, receive: Receive) -> Receive:
        """Reads a body of unknown length up to the cap; returns a receive replaying it."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away: let the app see it
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replay: list[Message] = [
            {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        ]

        async def replaying() -> Message:
            return replay.pop() if replay else await receive()

        return replaying

    def render(self, scope: Scope, exc: DomainError) -> Response:
        """Renders ``exc`` in the format of the face owning the request's path."""
        request = Request(scope)
        for face in self.faces:
            if face.render_error and face.owns_path(route_path(scope)):
                try:
                    return face.render_error(request, exc)
                except Exception:  # noqa: BLE001 - a page that cannot render: plain JSON
                    break
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.message}}, status_code=exc.http_status
        )


def _storing(attempt: guesses.Attempt, send: Send) -> Send:
    """Wraps ``send``: the request's failed logins are stored before its answer starts."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            if attempt.failures:
                await to_thread.run_sync(attempt.store)
            if attempt.retry_after:
                message["headers"] = [
                    *message.get("headers", []),
                    (b"retry-after", str(attempt.retry_after).encode()),
                ]
        await send(message)

    return sending
