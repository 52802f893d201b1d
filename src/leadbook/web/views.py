"""Saved views on the lead list: saving the list's filters and sort under a name, and
deleting one's own (the rules are domain/savedviews.py's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain import savedviews
from leadbook.domain.errors import DomainError
from leadbook.web import listpage, session, urls
from leadbook.web.filters import filters_of, query_of
from leadbook.web.page import CurrentActor

router = APIRouter(include_in_schema=False)
LABELS = {"name": "View name", "query": "The view's filters", "shared": "Sharing"}


@router.post("/web/views")
def save_view(
    request: Request,
    actor: CurrentActor,
    name: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
    shared: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
):
    """Saves the list's filters (``query``) as a view named ``name`` and shows the list
    through it; a refusal shows the list again with the message next to the name (and
    stores nothing)."""
    session.check_csrf(request, csrf)
    try:
        view = savedviews.save(db, actor, name, query, shared=bool(shared))
    except DomainError as exc:
        db.rollback()
        return listpage.show(
            request,
            db,
            actor,
            filters_of(query),
            exc.http_status,
            view_error=exc.worded(LABELS),
            view_name=name,
        )
    return urls.redirect(request, f"/web/leads?{view.query}")


@router.post("/web/views/{view_id}/delete")
def delete_view(
    request: Request,
    view_id: str,
    actor: CurrentActor,
    back: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
):
    """Deletes one of the user's views and returns to the list as it was (``back``)."""
    session.check_csrf(request, csrf)
    savedviews.delete(db, actor, view_id)
    return urls.redirect(request, f"/web/leads?{query_of(filters_of(back), page=True)}")
