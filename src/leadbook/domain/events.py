"""The audit trail: one LeadEvent per accepted change, with the fields it changed, and what
derives from it in the same transaction: the change feed's typed events (``feed``), the
lead's stays in its statuses (``stages``) and their copy of who may see them (``audience``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from leadbook.domain import audience, clock, feed, stages
from leadbook.domain.actor import Actor
from leadbook.domain.workflow import recency  # noqa: F401 (stamps moves: its listener)
from leadbook.models import Lead, LeadEvent

# the lead's own columns that an event reports (ids stand for the rows they point at; the
# score and utm_source, the database's copy of attribution's, are derived from them)
UNTRACKED = ("id", "version", "score", "utm_source", "created_date", "updated_date")
TRACKED = tuple(
    c.key
    for c in Lead.__table__.columns
    if c.key not in (*UNTRACKED, "last_activity_at")
    and not c.key.startswith(("created_by", "updated_by"))
)


# carried by a snapshot beside the columns, never a change of its own: the name of the status
# a change leaves, for the feed's payload (its row may be gone from the session by then)
_STATUS_NAME = "status_name"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def snapshot(lead: Lead, *, sets: bool = True) -> dict[str, Any]:
    """Returns the tracked columns and (unless a change cannot touch them: ``sets`` False,
    sparing their loads) the sets of ``lead`` as JSON-ready values (a set as the names of
    its items)."""
    values = {key: _plain(getattr(lead, key)) for key in TRACKED}
    values[_STATUS_NAME] = lead.status.name if lead.status is not None else None
    if not sets:
        return values
    values["competitors_set"] = [row.competitor.name for row in lead.competitors]
    values["users_set"] = [row.user.username for row in lead.users]
    values["products_set"] = [_product(row) for row in lead.products]
    return values


def _product(row) -> str:
    item = row.product or row.product_type or row.product_brand or row.product_family
    name = getattr(item, "code", None) or getattr(item, "name", None) if item else None
    return f"{row.kind} {name}"


def record(
    db: Session,
    lead: Lead,
    actor: Actor,
    action: str,
    before: dict[str, Any] | None,
    extra: dict[str, Any] | None = None,
) -> LeadEvent:
    """Adds the event of ``action`` on ``lead``: what changed since ``before`` (the sets
    compared only when ``before`` holds them), and the feed events it makes."""
    after = snapshot(lead, sets=before is None or "competitors_set" in before)
    del after[_STATUS_NAME]
    changes = {
        key: [None if before is None else before.get(key), value]
        for key, value in after.items()
        if before is None and value not in (None, []) or before is not None and before[key] != value
    }
    if extra:
        changes.update(extra)
    return _add(db, lead, actor, action, changes, (before or {}).get(_STATUS_NAME))


def record_workflow(
    db: Session, lead: Lead, actor: Actor, action: str, changes: dict[str, Any], data: dict
) -> LeadEvent:
    """Adds the audit event of a note or activity write (``action``, e.g. note.created)
    and its feed event of the same type carrying ``data``."""
    event = _event(lead, actor, action, changes)
    feed.audit(db, event)
    feed.publish(db, lead, actor, action, data)
    return event


def record_assignment(
    db: Session, lead: Lead, actor: Actor, before: dict[str, Any] | None, rule: str | None = None
) -> None:
    """Adds the ``assign`` event (lead.assigned) when the lead's assignee is not
    ``before``'s; ``rule`` names the assignment rule that chose it."""
    keys = ("assigned_user_id", "assigned_unit_id")
    changes: dict[str, Any] = {
        key: [(before or {}).get(key), getattr(lead, key)]
        for key in keys
        if (before or {}).get(key) != getattr(lead, key)
    }
    if changes:
        if rule is not None:
            changes["rule"] = [None, rule]
        _add(db, lead, actor, "assign", changes)


def note(db: Session, lead: Lead, actor: Actor, action: str, details: dict[str, Any]) -> LeadEvent:
    """Adds an event of ``action`` recording ``details`` about ``lead`` (a message it
    received …) that change none of its fields: each shown as [None, value]."""
    return _add(db, lead, actor, action, {key: [None, value] for key, value in details.items()})


def _add(
    db: Session, lead: Lead, actor: Actor, action: str, changes: dict, left: str | None = None
) -> LeadEvent:
    """Adds the audit event, the stay it ends or starts and its feed events; ``left``: the
    name of the status the lead left (the feed's ``from`` without a query)."""
    event = _event(lead, actor, action, changes)
    feed.audit(db, event)
    stages.record(db, lead, actor, action, changes)
    audience.record(db, lead, action, changes)
    feed.derive(db, lead, actor, action, changes, left)
    return event


def _event(lead: Lead, actor: Actor, action: str, changes: dict) -> LeadEvent:
    return LeadEvent(
        lead_id=lead.id,
        lead_number=lead.number,
        occurred_at=clock.now(),
        user_id=actor.user.id,
        username=actor.user.username,
        unit_id=actor.unit.id if actor.unit else None,
        action=action,
        via=actor.via,
        changes=changes,
        **(audience.of(lead) if action != "delete" else {}),
    )
