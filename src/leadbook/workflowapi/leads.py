"""``/api/leads/{number}/…``: a lead's notes, activities and timeline. Each caller works
on the leads it may see (others are 404), and writes only as its role allows (403)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.admin.routes import render_error
from leadbook.deps import DbSession
from leadbook.domain.errors import NotFound
from leadbook.domain.workflow import activities, notes, timeline
from leadbook.faces import Face
from leadbook.models import User
from leadbook.workflowapi.caller import Caller, lead_of
from leadbook.workflowapi.shapes import ActivityIn, ActivityOut, EntryOut, NoteIn, NoteOut

PREFIX = "/api/leads"
router = APIRouter(prefix=PREFIX, tags=["Sales workflow"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


@router.get("/{number}/timeline")
def lead_timeline(number: int, actor: Caller, db: Session = DbSession) -> list[EntryOut]:
    """Returns the lead's notes, activities and changes, newest first, in words."""
    return [EntryOut.of(e) for e in timeline.of_lead(db, lead_of(db, actor, number))]


@router.get("/{number}/notes")
def list_notes(number: int, actor: Caller, db: Session = DbSession) -> list[NoteOut]:
    """Returns the lead's notes, newest first."""
    return [NoteOut.of(n) for n in notes.of_lead(db, lead_of(db, actor, number))]


@router.post("/{number}/notes", status_code=201)
def add_note(number: int, body: NoteIn, actor: Caller, db: Session = DbSession) -> NoteOut:
    """Adds a note to the lead."""
    return NoteOut.of(notes.add(db, actor, lead_of(db, actor, number), body.text))


@router.patch("/{number}/notes/{note_id}")
def edit_note(
    number: int, note_id: str, body: NoteIn, actor: Caller, db: Session = DbSession
) -> NoteOut:
    """Changes a note's text (its author or an administrator)."""
    lead = lead_of(db, actor, number)
    return NoteOut.of(notes.edit(db, actor, lead, notes.find(db, lead, note_id), body.text))


@router.delete("/{number}/notes/{note_id}", status_code=204)
def delete_note(number: int, note_id: str, actor: Caller, db: Session = DbSession) -> Response:
    """Deletes a note (its author or an administrator)."""
    lead = lead_of(db, actor, number)
    notes.delete(db, actor, lead, notes.find(db, lead, note_id))
    return Response(status_code=204)


@router.get("/{number}/activities")
def list_activities(number: int, actor: Caller, db: Session = DbSession) -> list[ActivityOut]:
    """Returns the lead's activities, latest due first."""
    return [ActivityOut.of(a) for a in activities.of_lead(db, lead_of(db, actor, number))]


@router.post("/{number}/activities", status_code=201)
def log_activity(
    number: int, body: ActivityIn, actor: Caller, db: Session = DbSession
) -> ActivityOut:
    """Logs an activity on the lead (for the caller unless ``assignee`` names a user)."""
    lead = lead_of(db, actor, number)
    assignee = None
    if body.assignee is not None:
        assignee = db.scalar(select(User).where(User.username == body.assignee, User.is_active))
        if assignee is None:
            raise NotFound(f"No active user {body.assignee!r}", field="assignee")
    new = activities.NewActivity(body.kind, body.subject, body.due_at, assignee, body.done)
    return ActivityOut.of(activities.log(db, actor, lead, new))


@router.post("/{number}/activities/{activity_id}/done")
def mark_done(number: int, activity_id: str, actor: Caller, db: Session = DbSession) -> ActivityOut:
    """Marks an open activity done."""
    lead = lead_of(db, actor, number)
    activity = activities.find(db, lead, activity_id)
    return ActivityOut.of(activities.mark_done(db, actor, lead, activity))
