"""The web face's own addresses under the root path it is served at (``serve --root-path``):
every link, form, htmx URL, static asset, redirect and cookie path is made here."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from leadbook.faces import root_path


def web_url(request: Request, path: str) -> str:
    """Returns ``path`` (an absolute path of the app, ``/web/…``) as the browser must ask for it."""
    return root_path(request) + path


def redirect(request: Request, path: str) -> RedirectResponse:
    """Returns a 303 to the app's ``path``, under the root path."""
    return RedirectResponse(web_url(request, path), status_code=303)


def context(request: Request) -> dict[str, str]:
    """The templates' ``root``: written before every ``/web/…`` address they hold."""
    return {"root": root_path(request)}
