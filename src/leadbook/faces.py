"""How a face (wire format) plugs into the app: its router and how it renders errors.

A face never swallows a DomainError: it lets it propagate, so the request's transaction
rolls back, and the app renders it with the renderer of the face whose prefix matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response
from starlette.types import Scope

from leadbook.domain.errors import DomainError

ErrorRenderer = Callable[[Request, DomainError], Response]
PathPredicate = Callable[[str], bool]


@dataclass(frozen=True)
class Face:
    """A router plus the error renderer for requests whose path starts with ``prefix``
    (or, when given, satisfies ``owns``, for faces whose paths share no prefix).
    With ``http_errors``, FastAPI's own refusals there are rendered by the face too."""

    router: APIRouter
    prefix: str
    render_error: ErrorRenderer | None = None
    owns: PathPredicate | None = None
    http_errors: bool = False  # also render routing, validation and unexpected errors

    def owns_path(self, path: str) -> bool:
        """Returns whether errors on ``path`` are this face's to render."""
        return self.owns(path) if self.owns else path.startswith(self.prefix)


def root_path(request: Request) -> str:
    """Returns the path prefix the app is served under ("" at the host's root): what an
    address the app writes (a link, a redirect, a Location) starts with."""
    return request.base_url.path.rstrip("/")


def content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    """Returns the Content-Length of raw ASGI header pairs (a request's or an answer's),
    None when there is none or it is not a whole number."""
    for name, value in headers:
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


def route_path(scope: Scope) -> str:
    """Returns the request's path without the root path it is served under (uvicorn's
    ``--root-path`` puts the prefix in front of the path): the path the routes know."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :] or "/"
    return path
