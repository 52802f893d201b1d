"""Request limits applied before any route runs: a body size cap and a per-client rate limit.

``Limits`` is plain ASGI middleware installed by ``create_app``. It refuses

- a body over ``settings.max_body_bytes`` with 413 ``REQUEST_TOO_LARGE``: at once when the
  declared ``Content-Length`` is over the cap, and for a body sent without a length
  (chunked) by reading it up to the cap before the route sees it. This covers every route,
  including those whose body FastAPI parses itself (the admin API);
- more than ``settings.rate_limit_per_minute`` requests (0 = no limit) from one client in a
  sliding minute with 429 ``TOO_MANY_REQUESTS`` and a ``Retry-After`` header. A client is
  the token it shows (``Authorization: Bearer``, ``?token=``, the web session cookie), the
  username of HTTP Basic credentials, or else its network address, so logins and Basic
  password guesses are limited too. Counted in the serving process, one window per worker;
  health checks and static files are not counted.

Each refusal is rendered by the face owning the path, so a CRM.COM caller gets the
``{"data": null, "status": …}`` envelope, an XML caller ``<errors>``, the admin API
``{"error": …}``. (Tokens are limited once more where they are resolved, see
``leadbook.auth.ratelimit``; both windows use the same setting and the same ``Window``.)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadbook.auth.ratelimit import TooManyRequests, Window
from leadbook.domain.errors import DomainError, RequestTooLarge
from leadbook.faces import Face

SESSION_COOKIE = "leadbook_session"  # leadbook.web.session.COOKIE
# requests never counted against the rate: health checks and the web pages' static files
UNCOUNTED = ("/healthz", "/web/static/")


def client_key(scope: Scope) -> str:
    """Names the client of a request: its token, Basic username, or network address."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        return "token:" + _digest(credentials)
    if scheme.lower() == "basic" and credentials:
        try:
            username = base64.b64decode(credentials, validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            username = ""
        if username:
            return "basic:" + _digest(username)
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token") and query["token"][0]:
        return "token:" + _digest(query["token"][0])
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return "token:" + _digest(value)
    client = scope.get("client")
    return "address:" + (client[0] if client else "unknown")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


class _TooLarge(Exception):
    pass


class Limits:
    """ASGI middleware enforcing the body cap and the rate limit (see the module doc)."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, per_minute: int, faces: Sequence[Face] = ()
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.window = Window(per_minute) if per_minute > 0 else None
        self.faces = list(faces)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.window is not None and not scope["path"].startswith(UNCOUNTED):
            wait = self.window.hit(client_key(scope))
            if wait:
                refusal = TooManyRequests(
                    f"Too many requests: at most {self.window.per_minute} a minute from one "
                    f"client; retry in {wait} s"
                )
                response = self.render(scope, refusal)
                response.headers["Retry-After"] = str(wait)
                await response(scope, receive, send)
                return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self.render(scope, self._too_large())(scope, receive, send)
            return
        if declared is None and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            try:
                receive = await self._buffered(receive)
            except _TooLarge:
                await self.render(scope, self._too_large())(scope, receive, send)
                return
        await self.app(scope, receive, send)

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
            if face.render_error and face.owns_path(request.url.path):
                try:
                    return face.render_error(request, exc)
                except Exception:  # noqa: BLE001 - a page that cannot render: plain JSON
                    break
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.message}}, status_code=exc.http_status
        )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
