"""Activities on a lead (call, meeting, email, task): due at a time, for an assignee, done
or not. A lead's *next activity* is its earliest open one; the conditions here let every
query filter on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access, clock, events, values
from leadbook.domain.actor import Actor
from leadbook.domain.errors import (
    InvalidLifeCycleState,
    InvalidValue,
    MandatoryParameterMissing,
    NotFound,
)
from leadbook.domain.workflow import recency
from leadbook.models import ActivityKind


@dataclass(frozen=True)
class NewActivity:
    """What logging an activity takes; ``done`` logs one already done (a call made)."""

    kind: str | None
    subject: str | None
    due_at: datetime | None
    assignee: m.User | None = None
    done: bool = False


def _kind(kind: str | None) -> ActivityKind:
    if not kind:
        raise MandatoryParameterMissing("{field} is mandatory", field="kind")
    try:
        return ActivityKind(kind.upper())
    except ValueError:
        kinds = ", ".join(k.lower() for k in ActivityKind)
        raise InvalidValue(
            f"{{field}} must be one of {kinds}, not {kind!r}", field="kind"
        ) from None


def _subject(subject: str | None) -> str:
    subject = (subject or "").strip()
    if not subject:
        raise MandatoryParameterMissing("{field} is mandatory", field="subject")
    if len(subject) > 300:
        raise InvalidValue("{field} is longer than 300 characters", field="subject")
    return values.text(subject, "subject")


def _data(activity: m.Activity) -> dict:
    return {
        "activity": {
            "id": activity.id,
            "kind": activity.kind.value,
            "subject": activity.subject,
            "due_at": activity.due_at.isoformat(),
            "assignee": activity.assignee.username if activity.assignee else None,
            "done_at": activity.done_at.isoformat() if activity.done_at else None,
        }
    }


def log(db: Session, actor: Actor, lead: m.Lead, new: NewActivity) -> m.Activity:
    """Logs an activity on ``lead`` (due now when no time is given and it is done)."""
    access.permit(db, actor, "activity", lead)
    kind, subject = _kind(new.kind), _subject(new.subject)
    now = clock.now()
    due_at = new.due_at or (now if new.done else None)
    if due_at is None:
        raise MandatoryParameterMissing("{field} is mandatory", field="due_at")
    if due_at.tzinfo is not None:
        due_at = due_at.astimezone(UTC).replace(tzinfo=None)
    activity = m.Activity(
        lead_id=lead.id,
        kind=kind,
        subject=subject,
        due_at=values.moment(due_at.replace(microsecond=0), "due_at"),
        assignee=new.assignee if new.assignee is not None else actor.user,
        created_by=actor.user,
        created_at=now,
        done_at=now if new.done else None,
    )
    db.add(activity)
    db.flush()
    recency.stamp(db, lead, now)
    data = _data(activity)
    changes = {key: [None, value] for key, value in data["activity"].items() if value is not None}
    events.record_workflow(db, lead, actor, "activity.created", changes, data)
    if new.done:
        events.record_workflow(db, lead, actor, "activity.done", {}, data)
    return activity


def find(db: Session, lead: m.Lead, activity_id: str) -> m.Activity:
    """Returns activity ``activity_id`` of ``lead``, or NotFound."""
    stmt = select(m.Activity).where(m.Activity.id == activity_id, m.Activity.lead_id == lead.id)
    activity = db.scalar(stmt)
    if activity is None:
        raise NotFound(f"Lead {lead.number} has no activity {activity_id!r}", field="activity")
    return activity


def mark_done(db: Session, actor: Actor, lead: m.Lead, activity: m.Activity) -> m.Activity:
    """Marks ``activity`` done now; refuses one done already."""
    access.permit(db, actor, "activity", lead)
    if activity.done_at is not None:
        raise InvalidLifeCycleState(f"The activity {activity.subject!r} is done already")
    now = clock.now()
    activity.done_at = now
    db.flush()
    recency.stamp(db, lead, now)
    events.record_workflow(
        db, lead, actor, "activity.done", {"done_at": [None, now.isoformat()]}, _data(activity)
    )
    return activity


def of_lead(db: Session, lead: m.Lead) -> list[m.Activity]:
    """Returns the activities of ``lead``, latest due first."""
    stmt = select(m.Activity).where(m.Activity.lead_id == lead.id)
    return list(db.scalars(stmt.order_by(m.Activity.due_at.desc(), m.Activity.id)))


def is_late(activity: m.Activity, now: datetime) -> bool:
    """Returns whether ``activity`` is open and was due before ``now``."""
    return activity.done_at is None and activity.due_at < now


def _open(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    activity = m.Activity
    stmt = select(activity.id).where(
        activity.lead_id == m.Lead.id, activity.done_at.is_(None), *conditions
    )
    return stmt.exists()


def none_open_condition() -> ColumnElement[bool]:
    """The SQL condition of a lead with no next activity (no open one)."""
    return ~_open()


def next_overdue_condition(now: datetime) -> ColumnElement[bool]:
    """The SQL condition of a lead whose next activity is late (``is_late``: the earliest
    open one is late exactly when some open one is)."""
    return _open(m.Activity.due_at < now)


def next_of(db: Session, leads: list[m.Lead]) -> dict[str, m.Activity]:
    """Returns the next activity (earliest open, by due time) of each of ``leads`` having one."""
    ids = [lead.id for lead in leads]
    if not ids:
        return {}
    activity = m.Activity
    stmt = (
        select(activity)
        .where(and_(activity.lead_id.in_(ids), activity.done_at.is_(None)))
        .order_by(activity.lead_id, activity.due_at, activity.id)
    )
    found: dict[str, m.Activity] = {}
    for row in db.scalars(stmt):
        found.setdefault(row.lead_id, row)
    return found
