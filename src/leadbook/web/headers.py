"""Security headers on every answer: no framing, no sniffing, no referrer to other sites,
and a content security policy allowing only this site's own scripts, styles and forms.

The interactive API docs (``/docs``, ``/redoc``) start Swagger UI and ReDoc (served from the
package, ``apidoc``) with an inline script, so they get the other headers without the
policy."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadbook.faces import route_path

POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
API_DOCS = ("/docs", "/redoc")


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(HEADERS)
        if not route_path(scope).startswith(API_DOCS):
            extra.append((b"content-security-policy", POLICY.encode()))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, sending)
