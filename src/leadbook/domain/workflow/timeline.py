"""One timeline per lead: its notes, activities and field-change history, newest first, in
words ("Status: Reach → Learn"), naming users, units and other rows, never their ids. The
web page and the API render these entries; neither words a change itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.workflow import activities, notes

# the rows a change names by id, shown by this attribute
NAMED: dict[str, tuple[type[Any], str]] = {
    "type_id": (m.LeadType, "name"),
    "status_id": (m.LeadStatus, "name"),
    "category_id": (m.LeadCategory, "name"),
    "lost_reason_id": (m.LostReason, "name"),
    "assigned_user_id": (m.User, "username"),
    "lead_owner_id": (m.User, "username"),
    "source_user_id": (m.User, "username"),
    "assigned_unit_id": (m.Unit, "name"),
    "owned_by_group_id": (m.Group, "name"),
    "privacy_level_id": (m.PrivacyLevel, "name"),
    "subscription_package_id": (m.SubscriptionPackage, "name"),
    "accounts_receivable_id": (m.AccountsReceivable, "name"),
    "contact_id": (m.Contact, "display_name"),
    "source_contact_id": (m.Contact, "display_name"),
}
ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "assign": "Assigned",
    "start_progress": "Started progress",
    "win": "Won",
    "lose": "Lost",
    "cancel": "Cancelled",
    "delete": "Deleted",
}
# audit actions the timeline shows as the note or activity itself
OWN_ENTRIES = ("note.", "activity.")


@dataclass
class Entry:
    """One line of the timeline: when, who (and in which unit), what, in words."""

    at: datetime
    kind: str  # note, activity or change
    who: str | None
    title: str
    lines: list[str] = field(default_factory=list)
    unit: str | None = None
    note: m.Note | None = None
    activity: m.Activity | None = None


def label(key: str) -> str:
    """Returns a field's name in words (``assigned_user_id`` → "Assigned user")."""
    return key.removesuffix("_id").replace("_", " ").capitalize()


def _person(user: m.User | None) -> str | None:
    return (user.person_name or user.username) if user is not None else None


Names = dict[tuple[type, str], str]  # (model, id) → name: ids may repeat across tables


def _names(db: Session, events: list[m.LeadEvent]) -> Names:
    wanted: dict[str, set] = {}
    for event in events:
        for key, change in (event.changes or {}).items():
            if key in NAMED and isinstance(change, list):
                wanted.setdefault(key, set()).update(v for v in change if isinstance(v, str))
        if event.unit_id:
            wanted.setdefault("assigned_unit_id", set()).add(event.unit_id)
    names: Names = {}
    for key, ids in wanted.items():
        model, attr = NAMED[key]
        for row in db.scalars(select(model).where(model.id.in_(ids))):
            names[model, row.id] = getattr(row, attr)
    return names


def _shown(value: Any, key: str, names: Names) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if key == "life_cycle_state" and value in m.LIFE_CYCLE_STATES:
        return m.LifeCycleState(value).label
    if isinstance(value, str):
        return names.get((NAMED[key][0], value), value) if key in NAMED else value
    return f"{value:g}"


def worded(changes: dict[str, Any], names: Names) -> list[str]:
    """Returns each change as "Field: before → after" (a new value alone when created)."""
    lines = []
    for key, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            before, after = change
            shown = _shown(after, key, names)
            lines.append(
                f"{label(key)}: {shown}"
                if before is None
                else f"{label(key)}: {_shown(before, key, names)} → {shown}"
            )
        else:
            lines.append(f"{label(key)}: {_shown(change, key, names)}")
    return lines


def _activity(activity: m.Activity) -> Entry:
    kind = activity.kind.value.capitalize()
    lines = [f"Due {activity.due_at:%Y-%m-%d %H:%M}"]
    if activity.assignee is not None:
        lines.append(f"Assigned to {_person(activity.assignee)}")
    lines.append(f"Done {activity.done_at:%Y-%m-%d %H:%M}" if activity.done_at else "Open")
    return Entry(
        activity.created_at,
        "activity",
        _person(activity.created_by),
        f"{kind}: {activity.subject}",
        lines,
        activity=activity,
    )


def of_lead(db: Session, lead: m.Lead) -> list[Entry]:
    """Returns the timeline of ``lead``, newest first."""
    events = [e for e in queries.history(db, lead) if not e.action.startswith(OWN_ENTRIES)]
    names = _names(db, events)
    users = {e.username for e in events if e.username}
    people = {
        u.username: _person(u) for u in db.scalars(select(m.User).where(m.User.username.in_(users)))
    }
    entries = [
        Entry(
            e.occurred_at,
            "change",
            people.get(e.username or "", e.username),
            ACTIONS.get(e.action, label(e.action)),
            worded(e.changes or {}, names),
            unit=names.get((m.Unit, e.unit_id)) if e.unit_id else None,
        )
        for e in events
    ]
    entries += [
        Entry(n.created_at, "note", _person(n.author), "Note", [n.text], note=n)
        for n in notes.of_lead(db, lead)
    ]
    entries += [_activity(a) for a in activities.of_lead(db, lead)]
    order = {"change": 0, "note": 1, "activity": 2}
    # newest first; at the same second, later kinds and later changes first
    ranked = sorted(enumerate(entries), key=lambda p: (p[1].at, order[p[1].kind], p[0]))
    return [entry for _, entry in reversed(ranked)]
