"""``/api/views``: the caller's saved views of the lead list and those shared with
everyone; saving one, deleting one's own. Authenticated like the workflow API (Bearer
token or ``X-Api-Key``); refusals in the admin API's JSON style, naming the field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.admin.routes import render_error
from leadbook.deps import DbSession
from leadbook.domain import savedviews
from leadbook.faces import Face
from leadbook.workflowapi.caller import Caller

PREFIX = "/api/views"
router = APIRouter(prefix=PREFIX, tags=["Saved views"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


class ViewIn(BaseModel):
    """A view to save: its name and the lead list's query string."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(description="1 to 80 characters, unique per user")]
    query: Annotated[
        str,
        Field(
            description="The list's query string, e.g. state=PENDING&sort=priority; "
            f"parameters: {', '.join(savedviews.PARAMETERS)}"
        ),
    ] = ""
    shared: Annotated[bool, Field(description="listed to everyone (managers, admins)")] = False


class ViewOut(BaseModel):
    """A saved view; ``mine`` when the caller owns it (and may delete it)."""

    id: str
    name: str
    query: str
    shared: bool
    owner: str
    mine: bool
    created_at: datetime

    @classmethod
    def of(cls, view: m.SavedView, user: m.User) -> ViewOut:
        return cls(
            id=view.id,
            name=view.name,
            query=view.query,
            shared=view.shared,
            owner=view.owner.username,
            mine=view.owner_id == user.id,
            created_at=view.created_at,
        )


@router.get("")
def list_views(actor: Caller, db: Session = DbSession) -> list[ViewOut]:
    """Returns the caller's views, then those others share, by name."""
    return [ViewOut.of(view, actor.user) for view in savedviews.listed(db, actor)]


@router.post("", status_code=201)
def save_view(body: ViewIn, actor: Caller, db: Session = DbSession) -> ViewOut:
    """Saves a view (409 for a name the caller already uses, 422 for a bad name or query,
    403 for sharing by a user who is neither manager nor administrator)."""
    view = savedviews.save(db, actor, body.name, body.query, shared=body.shared)
    return ViewOut.of(view, actor.user)


@router.delete("/{view_id}", status_code=204)
def delete_view(view_id: str, actor: Caller, db: Session = DbSession) -> Response:
    """Deletes one of the caller's views (403 for another's shared view, 404 else)."""
    savedviews.delete(db, actor, view_id)
    return Response(status_code=204)
