"""Routes of the web face: login, pipeline board, lead list and detail, dashboard.

The pages are in their own modules; here the root, the static files and the error pages."""

from __future__ import annotations

import contextlib
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain.errors import (
    AuthenticationFailed,
    DomainError,
    InvalidValue,
    LeadMerged,
    NotFound,
)
from leadbook.faces import Face, route_path
from leadbook.refusals import UnreadableParameter
from leadbook.web import (
    bulk,
    dashboard,
    duplicates,
    fieldnames,
    inline,
    intakeforms,
    leadpages,
    login,
    notices,
    pipeline,
    reports,
    setedits,
    urls,
    views,
    webhookpages,
    workflow,
)
from leadbook.web.admin import index as admin
from leadbook.web.page import render, signed_in

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)
STATIC = {p.name: p for p in (HERE / "static").iterdir()}


@router.get("/")
def root(request: Request) -> RedirectResponse:
    """Sends a browser to the pipeline board."""
    return urls.redirect(request, "/web/board")


@router.get("/web/static/{name}")
def static_file(name: str) -> FileResponse:
    """Serves a file shipped in the package's static folder."""
    if name not in STATIC:
        raise NotFound(f"There is no static file {name}")
    return FileResponse(STATIC[name], headers={"Cache-Control": "public, max-age=3600"})


for _part in (
    login,
    pipeline,
    bulk,  # before leadpages: /web/leads/export is not a lead's number
    inline,
    views,
    leadpages,
    setedits,
    workflow,
    notices,
    dashboard,
    reports,
    intakeforms,
    webhookpages,
    duplicates,
    admin,
):
    router.include_router(_part.router)


@router.get("/web/{rest:path}")
def unknown_page(request: Request, rest: str, db: Session = DbSession) -> None:
    """Refuses an address no page has (404) to anyone, with the navigation when a user is
    signed in. Registered after every page."""
    with contextlib.suppress(AuthenticationFailed):
        signed_in(request, db)
    raise NotFound(f"There is no page /web/{rest}")


def bad_parameter(exc: UnreadableParameter) -> InvalidValue:
    """Returns the web's 400 refusal of an address parameter it could not read, naming
    the parameter and the value given."""
    name, problem, given = exc.problems[0] if exc.problems else ("", "is not valid", "")
    problem = problem[:1].lower() + problem[1:]
    refusal = InvalidValue(
        f"The address parameter “{name}” is not valid: {problem} (given “{given}”)"
    )
    refusal.http_status = 400
    return refusal


def render_error(request: Request, exc: DomainError):
    """Sends an unauthenticated browser to the login page (an htmx request by
    ``HX-Redirect``, so the page is not swapped into the board), a page of a merged lead to
    its survivor's; shows any other refusal's message."""
    on_login = route_path(request.scope) == "/web/login"
    if isinstance(exc, AuthenticationFailed) and not on_login:
        if request.headers.get("hx-request"):
            login_url = urls.web_url(request, "/web/login")
            return Response(status_code=exc.http_status, headers={"HX-Redirect": login_url})
        return urls.redirect(request, "/web/login")
    if isinstance(exc, LeadMerged) and request.method == "GET":
        return urls.redirect(request, f"/web/leads/{exc.survivor}?merged={exc.number}")
    if isinstance(exc, UnreadableParameter):
        exc = bad_parameter(exc)
    name = "error_fragment.html" if request.headers.get("hx-request") else "error.html"
    if on_login:
        return login.form(request, exc.http_status, fieldnames.worded(exc))
    return render(request, name, exc.http_status, actor=None, error=exc)


face = Face(router=router, prefix="/web", render_error=render_error, http_errors=True)
