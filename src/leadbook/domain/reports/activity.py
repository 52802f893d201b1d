"""Activity per user: the changes each user made to leads in a period, by kind, from the
audit trail. (Notes, calls and meetings will count here once they are recorded.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access
from leadbook.domain.actor import Actor
from leadbook.domain.reports.filters import ReportFilter, within


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
    query = (
        select(event.username, event.action, func.count())
        .where(*within(event.occurred_at, f))
        .group_by(event.username, event.action)
    )
    if f.user is not None:
        query = query.where(event.user_id == f.user.id)
    if f.unit is not None:
        query = query.where(event.unit_id == f.unit.id)
    query = query.where(access.visible(actor, access.copied(event)))  # the events' copy
    if f.lead_type is not None:
        query = query.join(m.Lead, m.Lead.id == event.lead_id)
        query = query.where(m.Lead.type_id == f.lead_type.id)
    users: dict[str | None, UserActivity] = {}
    for username, action, count in db.execute(query):
        row = users.setdefault(username, UserActivity(username))
        row.changes += count
        row.actions[action] = count
    return sorted(users.values(), key=lambda row: (-row.changes, row.username or ""))
