"""Activity per user: the changes each user made to leads in a period, by kind, from the
audit trail. (Notes, calls and meetings will count here once they are recorded.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access
from leadbook.domain.actor import Actor
from leadbook.domain.reports.filters import ReportFilter, seen_rows, within


@dataclass
class UserActivity:
    """A user's changes: in all and per action (create, update, win, …)."""

    username: str | None
    changes: int = 0
    actions: dict[str, int] = field(default_factory=dict)


def activity(db: Session, actor: Actor, f: ReportFilter) -> list[UserActivity]:
    """Returns the changes per user made in ``f``'s period to leads ``actor`` sees (of
    ``f``'s lead type), by ``f``'s user and in ``f``'s unit (the acting ones), the most
    active first. A deleted lead's changes are an administrator's only, as in the feed."""
    event = m.LeadEvent
    rows = select(event.username, event.action).where(*within(event.occurred_at, f))
    if f.user is not None:
        rows = rows.where(event.user_id == f.user.id)
    if f.unit is not None:
        rows = rows.where(event.unit_id == f.unit.id)
    if f.lead_type is not None:
        rows = rows.join(m.Lead, m.Lead.id == event.lead_id)
        rows = rows.where(m.Lead.type_id == f.lead_type.id)
    seen = seen_rows(actor, rows, access.copied(event))  # the events' own copy
    query = select(seen.c.username, seen.c.action, func.count())
    query = query.group_by(seen.c.username, seen.c.action)
    users: dict[str | None, UserActivity] = {}
    for username, action, count in db.execute(query):
        row = users.setdefault(username, UserActivity(username))
        row.changes += count
        row.actions[action] = count
    return sorted(users.values(), key=lambda row: (-row.changes, row.username or ""))
