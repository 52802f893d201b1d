"""Notes on a lead: written by anyone who may work the lead, changed or deleted by their
author or an administrator; each write audited, a feed event, and the lead's last activity."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access, clock, events, values
from leadbook.domain.actor import Actor
from leadbook.domain.errors import (
    InvalidValue,
    MandatoryParameterMissing,
    NotFound,
    PermissionDenied,
)
from leadbook.domain.workflow import recency

MAX_TEXT = 10_000


def _text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise MandatoryParameterMissing("{field} is mandatory", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidValue(f"{{field}} is longer than {MAX_TEXT} characters", field="text")
    return values.text(text, "text")


def find(db: Session, lead: m.Lead, note_id: str) -> m.Note:
    """Returns note ``note_id`` of ``lead`` (a lead the caller sees), or NotFound."""
    note = db.scalar(select(m.Note).where(m.Note.id == note_id, m.Note.lead_id == lead.id))
    if note is None:
        raise NotFound(f"Lead {lead.number} has no note {note_id!r}", field="note")
    return note


def _data(note: m.Note) -> dict:
    return {"note": {"id": note.id, "text": note.text, "author": note.author.username}}


def add(db: Session, actor: Actor, lead: m.Lead, text: str | None) -> m.Note:
    """Adds a note by ``actor`` to ``lead``."""
    access.permit(db, actor, "note", lead)
    now = clock.now()
    note = m.Note(lead_id=lead.id, author=actor.user, text=_text(text), created_at=now)
    db.add(note)
    db.flush()
    recency.stamp(db, lead, now)
    changes = {"note": [None, note.id], "text": [None, note.text]}
    events.record_workflow(db, lead, actor, "note.created", changes, _data(note))
    return note


def _permit_own(db: Session, actor: Actor, lead: m.Lead, note: m.Note) -> None:
    access.permit(db, actor, "note", lead)
    if note.author_id != actor.user.id and not actor.user.is_admin:
        raise PermissionDenied("Only its author or an administrator may change a note")


def edit(db: Session, actor: Actor, lead: m.Lead, note: m.Note, text: str | None) -> m.Note:
    """Changes the text of ``note`` (its author's or an administrator's)."""
    _permit_own(db, actor, lead, note)
    new = _text(text)
    if new != note.text:
        changes = {"note": [note.id, note.id], "text": [note.text, new]}
        note.text, note.updated_at = new, clock.now()
        db.flush()
        events.record_workflow(db, lead, actor, "note.updated", changes, _data(note))
    return note


def delete(db: Session, actor: Actor, lead: m.Lead, note: m.Note) -> None:
    """Deletes ``note`` (its author's or an administrator's); the audit trail keeps its text."""
    _permit_own(db, actor, lead, note)
    changes = {"note": [note.id, None], "text": [note.text, None]}
    data = _data(note)
    db.delete(note)
    db.flush()
    events.record_workflow(db, lead, actor, "note.deleted", changes, data)


def of_lead(db: Session, lead: m.Lead) -> list[m.Note]:
    """Returns the notes of ``lead``, newest first."""
    stmt = select(m.Note).where(m.Note.lead_id == lead.id)
    return list(db.scalars(stmt.order_by(m.Note.created_at.desc(), m.Note.id)))
