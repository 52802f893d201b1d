"""Every refusal in the format of the face owning the request's path.

DomainErrors are rendered by their face. A value the database or the arithmetic cannot
hold (an overflow, a nesting too deep, a value the database refuses) is a 422
``INVALID_VALUE``, never a 500. A face with ``http_errors`` also renders FastAPI's own
refusals (an unknown path 404, a wrong method 405, an unreadable parameter 422) and any
unexpected failure (500 ``GENERAL_ERROR``) in its format. A database too busy to serve
the request in time (a lock held past the busy timeout, no pooled connection
free, PostgreSQL refusing a new connection) is a 503 ``SERVICE_UNAVAILABLE`` with ``Retry-After``;
so is a database without the schema this version needs (tables or columns missing: it
was never migrated, or lost its schema), which the operator mends with ``leadbook migrate``.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from leadbook.domain.errors import DomainError, InvalidValue, MethodNotAllowed, NotFound
from leadbook.faces import ErrorRenderer, Face, route_path


class ServerError(DomainError):
    """A failure no rule foresaw (a bug): still answered in the face's format."""

    code = "GENERAL_ERROR"
    http_status = 500


class UnreadableParameter(InvalidValue):
    """A parameter of the address or body that FastAPI could not read (422
    ``INVALID_VALUE``); ``problems`` holds each one's name, what is wrong and what was given,
    so a face can word it its own way."""

    def __init__(self, message: str, problems: list[tuple[str, str, str]], **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.problems = problems


class Unavailable(DomainError):
    """The database could not take the request in time; the client should retry."""

    code = "SERVICE_UNAVAILABLE"
    http_status = 503
    retry_after = 1


BUSY = (
    "database is locked",
    "database table is locked",
    "lock timeout",
    # PostgreSQL refusing a connection: max_connections, the slots reserved for superusers,
    # a role's or a database's CONNECTION LIMIT
    "too many clients",
    "remaining connection slots are reserved",
    "too many connections",
)
# SQLite's messages and PostgreSQL's SQLSTATEs (undefined table, undefined column)
UNMIGRATED = ("no such table", "no such column")
UNMIGRATED_STATES = ("42P01", "42703")


def install(app: FastAPI, faces: Sequence[Face]) -> None:
    """Registers the exception handlers of ``app`` for ``faces``."""

    def renderer(request: Request, *, http: bool = False) -> ErrorRenderer | None:
        """The error renderer of the face owning the path; with ``http``, None unless that
        face renders FastAPI's own refusals too."""
        path = route_path(request.scope)
        face = next((f for f in faces if f.render_error and f.owns_path(path)), None)
        if face is None or (http and not face.http_errors):
            return None
        return face.render_error

    def render(request: Request, exc: DomainError):
        face_render = renderer(request)
        response: Response
        if face_render is not None:
            response = face_render(request, exc)
        else:
            response = JSONResponse(
                {"error": {"code": exc.code, "message": exc.message}},
                status_code=exc.http_status,
            )
        if isinstance(exc, Unavailable):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        return render(request, exc)

    async def _out_of_range(request: Request, exc: Exception):
        return render(request, InvalidValue(f"A value is out of range: {_first_line(exc)}"))

    for kind in (OverflowError, RecursionError, DataError):
        app.add_exception_handler(kind, _out_of_range)

    async def _busy(request: Request, exc: Exception):
        return render(request, Unavailable("The database is busy; retry in a moment"))

    async def _unmigrated(request: Request, exc: Exception):
        return render(
            request, Unavailable("The database schema is missing or out of date; retry later")
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError):
        if any(sign in str(exc.orig) for sign in BUSY):
            return await _busy(request, exc)
        if any(sign in str(exc.orig) for sign in UNMIGRATED):
            return await _unmigrated(request, exc)
        return await _unexpected(request, exc)

    @app.exception_handler(ProgrammingError)
    async def _programming(request: Request, exc: ProgrammingError):
        if getattr(exc.orig, "sqlstate", None) in UNMIGRATED_STATES:
            return await _unmigrated(request, exc)
        return await _unexpected(request, exc)

    app.add_exception_handler(PoolTimeout, _busy)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        face_render = renderer(request, http=True)
        if face_render is None:
            return await http_exception_handler(request, exc)
        if exc.status_code == 405:
            refusal: DomainError = MethodNotAllowed(
                f"{request.method} is not a method of {request.url.path}"
            )
        elif exc.status_code == 404:
            refusal = NotFound(f"No method at {request.url.path}")
        else:
            refusal = InvalidValue(str(exc.detail))
            refusal.http_status = exc.status_code
        return face_render(request, refusal)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        face_render = renderer(request, http=True)
        if face_render is None:
            return await request_validation_exception_handler(request, exc)
        errors = exc.errors()
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in errors
        )
        field = ".".join(str(p) for p in errors[0]["loc"][1:]) if errors else ""
        given = [
            (".".join(str(p) for p in e["loc"][1:]), e["msg"], str(e.get("input", "")))
            for e in errors
        ]
        refusal = UnreadableParameter(problems or "Invalid request", given, field=field or None)
        return face_render(request, refusal)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        face_render = renderer(request, http=True)
        if face_render is None:
            return PlainTextResponse("Internal Server Error", status_code=500)
        return face_render(request, ServerError("The server failed on this request"))


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
