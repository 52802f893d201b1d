"""The lead page's workflow forms: add a note, change or delete one's own, log an activity,
mark one done. Plain form posts (no JavaScript needed); a refusal shows the lead with the
message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain.actor import Actor
from leadbook.domain.errors import DomainError, InvalidValue
from leadbook.domain.workflow import activities, notes
from leadbook.models import Lead, User
from leadbook.web import detail, session, urls
from leadbook.web.page import CurrentActor, chosen_row, lead_of

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form()]


def _done(request: Request, db: Session, actor: Actor, number: int, csrf: str, write: Callable):
    session.check_csrf(request, csrf)
    lead = lead_of(db, actor, number)
    try:
        write(lead)
    except DomainError as exc:
        db.rollback()
        return detail.page(request, db, actor, lead_of(db, actor, number), exc)
    return urls.redirect(request, f"/web/leads/{number}#timeline")


@router.post("/web/leads/{number}/notes")
def add_note(
    request: Request,
    number: int,
    actor: CurrentActor,
    text: Field = "",
    csrf: Field = "",
    db: Session = DbSession,
):
    """Adds a note to the lead."""
    return _done(request, db, actor, number, csrf, lambda lead: notes.add(db, actor, lead, text))


@router.post("/web/leads/{number}/notes/{note_id}/edit")
def edit_note(
    request: Request,
    number: int,
    note_id: str,
    actor: CurrentActor,
    text: Field = "",
    csrf: Field = "",
    db: Session = DbSession,
):
    """Changes the text of one's own note (any note, for an administrator)."""

    def write(lead: Lead) -> None:
        notes.edit(db, actor, lead, notes.find(db, lead, note_id), text)

    return _done(request, db, actor, number, csrf, write)


@router.post("/web/leads/{number}/notes/{note_id}/delete")
def delete_note(
    request: Request,
    number: int,
    note_id: str,
    actor: CurrentActor,
    csrf: Field = "",
    db: Session = DbSession,
):
    """Deletes one's own note (any note, for an administrator)."""

    def write(lead: Lead) -> None:
        notes.delete(db, actor, lead, notes.find(db, lead, note_id))

    return _done(request, db, actor, number, csrf, write)


def _moment(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{{field}} is not a date and time: {text!r}", field="due_at") from None


@router.post("/web/leads/{number}/activities")
def log_activity(
    request: Request,
    number: int,
    actor: CurrentActor,
    kind: Field = "",
    subject: Field = "",
    due_at: Field = "",
    assignee: Field = "",
    done: Field = "",
    csrf: Field = "",
    db: Session = DbSession,
):
    """Logs an activity (due at the time given, UTC; for the chosen user, else oneself)."""

    def write(lead: Lead) -> None:
        user = chosen_row(db, User, assignee, "assignee")
        new = activities.NewActivity(kind, subject, _moment(due_at), user, done == "true")
        activities.log(db, actor, lead, new)

    return _done(request, db, actor, number, csrf, write)


@router.post("/web/leads/{number}/activities/{activity_id}/done")
def mark_done(
    request: Request,
    number: int,
    activity_id: str,
    actor: CurrentActor,
    csrf: Field = "",
    db: Session = DbSession,
):
    """Marks an open activity done."""

    def write(lead: Lead) -> None:
        activities.mark_done(db, actor, lead, activities.find(db, lead, activity_id))

    return _done(request, db, actor, number, csrf, write)
