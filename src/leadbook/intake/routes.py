"""Web forms: ``POST /intake/{form_key}`` from a page on one of the form's origins.

Takes ``application/x-www-form-urlencoded`` (the embeddable HTML form, no JavaScript) or
a JSON object of strings; answers JSON ``{"lead": number, "created": bool}`` (201 new,
200 a double submit), or 303 to the form's thank-you page for an HTML form. Refusals are
``{"error": {"code", "message", "field"}}``. A filled honeypot is answered as accepted
(202) and stores nothing; the browser's origin must be one of the form's (CORS).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from leadbook import idempotency
from leadbook.auth.ratelimit import TooManyRequests
from leadbook.deps import DbSession, RawBody
from leadbook.domain import capture
from leadbook.domain.errors import DomainError, InvalidValue, PermissionDenied, RequestTooLarge
from leadbook.faces import Face
from leadbook.models import IntakeForm

PREFIX = "/intake"
router = APIRouter(prefix=PREFIX, tags=["Intake: web forms"])
URLENCODED = "application/x-www-form-urlencoded"


def render_error(request: Request, exc: DomainError) -> JSONResponse:
    """Renders a refusal as JSON, readable by the page when its origin is allowed."""
    error = {"code": exc.code, "message": exc.message, "field": exc.field}
    response = JSONResponse({"error": error}, status_code=exc.http_status)
    response.headers.update(getattr(request.state, "cors", {}))
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


def _allowed(request: Request, form: IntakeForm) -> dict[str, str]:
    """Returns the CORS headers for the request's origin, refusing one not allowed."""
    origin = request.headers.get("origin", "")
    if origin not in form.allowed_origins:
        raise PermissionDenied(f"Origin {origin or '(none)'!r} may not submit form {form.key!r}")
    headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    request.state.cors = headers
    return headers


@router.options("/{form_key}", include_in_schema=False)
def preflight(form_key: str, request: Request, db: Session = DbSession) -> Response:
    """Answers a browser's CORS preflight for a JSON submission."""
    headers = _allowed(request, capture.find_form(db, form_key))
    headers |= {
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key",
        "Access-Control-Max-Age": "600",
    }
    return Response(status_code=204, headers=headers)


@router.post("/{form_key}")
def submit(
    form_key: str, request: Request, body: bytes = RawBody, db: Session = DbSession
) -> Response:
    """Makes a lead of a form's submission (see the module's docstring)."""
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    limiters = request.app.state.limiters
    # counted before the session's first statement: a counter in the database takes a
    # connection of the same pool, and requests each holding one while waiting for a
    # second would exhaust it
    limiters.hit(settings.intake_per_form, f"submissions of form {form_key}", "intake", form_key)
    limiters.hit(
        settings.intake_per_address, "submissions from one address", "intake", form_key, address
    )
    form = capture.find_form(db, form_key)
    headers = _allowed(request, form)
    if len(body) > settings.intake_max_body_bytes:
        raise RequestTooLarge(f"A submission is at most {settings.intake_max_body_bytes} bytes")
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    fields = _fields(kind, body)
    if fields.get(capture.HONEYPOT):
        return JSONResponse({"accepted": True}, status_code=202, headers=headers)
    key, scope = idempotency.key_of(request), f"intake:{form.key}"
    kept = idempotency.replay(db, scope, key, body)
    if kept is not None:
        return kept
    lead, created = capture.submit(db, form, fields)
    answer: Response
    if kind == URLENCODED and form.redirect_url:
        answer = RedirectResponse(form.redirect_url, status_code=303, headers=headers)
    else:
        number = {"lead": lead.number, "created": created}
        answer = JSONResponse(number, status_code=201 if created else 200, headers=headers)
    return idempotency.remember(db, request, scope, key, body, answer)


def _fields(kind: str, body: bytes) -> dict[str, str]:
    """Returns the submitted fields, refusing a body that is not a form or a JSON object
    of texts."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise InvalidValue("The submission is not UTF-8") from None
    if kind == URLENCODED:
        return dict(parse_qsl(text, keep_blank_values=True))
    if kind != "application/json":
        raise InvalidValue(f"Send {URLENCODED} or application/json, not {kind or 'nothing'!r}")
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidValue("The submission is not valid JSON") from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidValue("The submission must be a JSON object of texts")
    return value
