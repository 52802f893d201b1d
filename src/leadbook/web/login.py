"""The web face's login and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.deps import DbSession
from leadbook.web import session, urls
from leadbook.web.page import CurrentActor, render

router = APIRouter(include_in_schema=False)


def form(request: Request, status_code: int = 200, error: str | None = None) -> HTMLResponse:
    """Returns the login form with ``error``, its CSRF token and the cookie behind it."""
    cookie = Response()
    csrf = session.login_form_token(request, cookie)
    response = render(request, "login.html", status_code, actor=None, error=error, csrf=csrf)
    response.headers.append("set-cookie", cookie.headers["set-cookie"])
    return response


@router.get("/web/login")
def login_form(request: Request) -> HTMLResponse:
    """Shows the login form."""
    return form(request)


@router.post("/web/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Checks the form's CSRF token and the credentials; starts a session held in an
    HttpOnly, SameSite=Lax cookie (Secure over https)."""
    session.check_csrf(request, csrf, session.LOGIN_COOKIE)
    user = tokens.authenticate(db, username, password)
    token = tokens.issue(db, user, ttl_seconds=session.TTL_SECONDS, label="web")
    response = urls.redirect(request, "/web/board")
    response.set_cookie(
        session.COOKIE,
        token,
        max_age=session.TTL_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/web/logout")
def logout(
    request: Request,
    actor: CurrentActor,
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Ends the session: revokes its token and drops the cookie."""
    session.check_csrf(request, csrf)
    tokens.release(db, request.cookies[session.COOKIE])
    response = urls.redirect(request, "/web/login")
    response.delete_cookie(session.COOKIE, path="/")
    return response
