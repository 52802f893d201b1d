"""The workflow API's bodies and answers, as pydantic models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from leadbook import models as m
from leadbook.domain.workflow.timeline import Entry

Text = Annotated[str, Field(max_length=10_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoteIn(Strict):
    """A note's text."""

    text: Text


class ActivityIn(Strict):
    """An activity to log: due_at may be left out for one already done."""

    kind: Annotated[str, Field(description="call, meeting, email or task", max_length=20)]
    subject: Annotated[str, Field(max_length=300)]
    due_at: datetime | None = None
    assignee: Annotated[str | None, Field(description="a username", max_length=100)] = None
    done: bool = False


class PreferencesIn(Strict):
    """How a user is notified: in the app only, or by email too."""

    email: bool


class NoteOut(BaseModel):
    id: str
    text: str
    author: str
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, note: m.Note) -> NoteOut:
        return cls(
            id=note.id,
            text=note.text,
            author=note.author.username,
            created_at=note.created_at,
            updated_at=note.updated_at,
        )


class ActivityOut(BaseModel):
    id: str
    kind: str
    subject: str
    due_at: datetime
    assignee: str | None
    done: bool
    done_at: datetime | None
    created_by: str

    @classmethod
    def of(cls, activity: m.Activity) -> ActivityOut:
        return cls(
            id=activity.id,
            kind=activity.kind.value.lower(),
            subject=activity.subject,
            due_at=activity.due_at,
            assignee=activity.assignee.username if activity.assignee else None,
            done=activity.done_at is not None,
            done_at=activity.done_at,
            created_by=activity.created_by.username,
        )


class EntryOut(BaseModel):
    at: datetime
    kind: str
    who: str | None
    unit: str | None
    title: str
    lines: list[str]
    note_id: str | None = None
    activity_id: str | None = None

    @classmethod
    def of(cls, entry: Entry) -> EntryOut:
        return cls(
            at=entry.at,
            kind=entry.kind,
            who=entry.who,
            unit=entry.unit,
            title=entry.title,
            lines=entry.lines,
            note_id=entry.note.id if entry.note else None,
            activity_id=entry.activity.id if entry.activity else None,
        )


class NotificationOut(BaseModel):
    id: str
    kind: str
    text: str
    lead_number: int | None
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, row: m.UserNotification) -> NotificationOut:
        return cls(
            id=row.id,
            kind=row.kind,
            text=row.text,
            lead_number=row.lead_number,
            created_at=row.created_at,
            read=row.read_at is not None,
        )


class Notifications(BaseModel):
    unread: int
    notifications: list[NotificationOut]
