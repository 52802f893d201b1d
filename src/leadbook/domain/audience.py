"""Who may see a lead's stays and audit events: the lead's columns the visibility rule
reads (models/access.py), copied onto each of them in the transaction of every change, so
a report applies access.visible to its own rows (access.copied) and scales with what the
caller sees, not with all leads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from leadbook import models as m

# the lead's columns the visibility rule reads (access.Columns, the lead's id aside)
COPIED = ("assigned_user_id", "assigned_unit_id", "owned_by_group_id", "privacy_level_id")


def of(lead: m.Lead) -> dict[str, Any]:
    """Returns the copy of ``lead``'s columns a new stay or event carries."""
    return {key: getattr(lead, key) for key in COPIED}


def record(db: Session, lead: m.Lead, action: str, changes: dict[str, Any]) -> None:
    """Copies the lead's columns onto its stays and events when ``action`` changed one of
    them; a deleted lead's are blanked (its events are then an administrator's only)."""
    if action == "delete":
        values = dict.fromkeys(COPIED)
    elif action != "create" and changes.keys() & set(COPIED):
        values = of(lead)
    else:
        return
    for model in (m.LeadStage, m.LeadEvent):
        stmt = update(model).where(model.lead_id == lead.id).values(values)
        db.execute(stmt.execution_options(synchronize_session=False))
