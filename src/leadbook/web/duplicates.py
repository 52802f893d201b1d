"""The duplicates page (administrators and managers): contact candidates and likely
duplicate leads side by side, a merge form for each choosing the survivor, and an undo
button for each lead merge still within its window. Plain forms: no JavaScript needed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain import access, leadduplicates, leadmerge, merge
from leadbook.domain.errors import DomainError, InvalidValue
from leadbook.web import session, urls
from leadbook.web.page import CurrentActor, render

router = APIRouter(include_in_schema=False)
PAGE = "/web/duplicates"
# what a change did, said on the page it redirects to (from the query's numbers only)
NOTICES = {
    "lead": "Lead {merged} was merged into lead {survivor}.",
    "undo": "Lead {merged} is no longer merged into lead {survivor}.",
    "contact": "Contact {merged} was merged into contact {survivor}.",
}
SHOWN_NUMBER = re.compile(r"[A-Z0-9]{1,20}")


def _page(request, db, actor, error: DomainError | None = None, notice: str = ""):
    return render(
        request,
        "duplicates.html",
        error.http_status if error else 200,
        actor=actor,
        error=error,
        notice=notice,
        contacts=merge.candidates(db),
        pairs=leadduplicates.pairs(db, actor),
        merges=leadmerge.recent(db, actor),
    )


@router.get(PAGE)
def duplicates(
    request: Request,
    actor: CurrentActor,
    done: str = "",
    merged: str = "",
    survivor: str = "",
    db: Session = DbSession,
) -> HTMLResponse:
    """Shows the duplicate contacts and leads, and the merges that can be undone."""
    access.permit(db, actor, "merge")
    notice = ""
    if done in NOTICES and all(SHOWN_NUMBER.fullmatch(n) for n in (merged, survivor)):
        notice = NOTICES[done].format(merged=merged, survivor=survivor)
    return _page(request, db, actor, notice=notice)


def _number(text: str, field: str) -> int:
    if not text.strip().isdigit() or len(text.strip()) > 9:
        raise InvalidValue(f"{{field}} must be a lead number, not {text!r}", field=field)
    return int(text)


Text = Annotated[str, Form()]


@router.post(PAGE + "/leads/merge")
def merge_leads(
    request: Request,
    actor: CurrentActor,
    survivor: Text = "",
    merged: Text = "",
    csrf: Text = "",
    db: Session = DbSession,
):
    """Merges lead ``merged`` into ``survivor``; a refusal shows the page with it."""

    def change() -> tuple[int, int]:
        leadmerge.merge_leads(db, actor, _number(survivor, "survivor"), _number(merged, "merged"))
        return int(merged), int(survivor)

    return _attempt(request, db, actor, csrf, "lead", change)


@router.post(PAGE + "/leads/undo")
def undo(
    request: Request,
    actor: CurrentActor,
    merged: Text = "",
    csrf: Text = "",
    db: Session = DbSession,
):
    """Undoes the merge of lead ``merged``; a refusal shows the page with it."""

    def change() -> tuple[int, int]:
        done = leadmerge.undo(db, actor, _number(merged, "merged"))
        return done.merged.number, done.survivor.number

    return _attempt(request, db, actor, csrf, "undo", change)


@router.post(PAGE + "/contacts/merge")
def merge_contacts(
    request: Request,
    actor: CurrentActor,
    survivor: Text = "",
    merged: Text = "",
    csrf: Text = "",
    db: Session = DbSession,
):
    """Merges contact ``merged`` into ``survivor`` (the domain's contact merge)."""

    def change() -> tuple[str, str]:
        done = merge.merge_contacts(db, actor, survivor.strip(), merged.strip())
        return done.merged.number, done.survivor.number

    return _attempt(request, db, actor, csrf, "contact", change)


def _attempt(request: Request, db: Session, actor, csrf: str, kind: str, change: Callable):
    """Makes ``change`` (returning the merged and surviving numbers) and shows the page
    again saying so (post/redirect/get); a refusal shows the page with it."""
    session.check_csrf(request, csrf)
    try:
        merged, survivor = change()
    except DomainError as exc:
        db.rollback()
        return _page(request, db, actor, exc)
    return _done(request, kind, merged, survivor)


def _done(request: Request, kind: str, merged: int | str, survivor: int | str) -> RedirectResponse:
    """After a change, the page again (post/redirect/get), saying what was done."""
    query = urlencode({"done": kind, "merged": merged, "survivor": survivor})
    return urls.redirect(request, f"{PAGE}?{query}")
