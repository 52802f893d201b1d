"""A lead's stays in its statuses (lead_stages), kept in the transaction that moves it: the
summary reports read instead of replaying the change history (domain/reports/)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete, insert, literal, not_, select, update
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import audience, clock, feed
from leadbook.domain.actor import Actor
from leadbook.domain.reports.stats import elapsed

# a change of one of these starts a new stay
MOVES = frozenset({"status_id", "life_cycle_state", "type_id"})
STAGES = cast(Table, m.LeadStage.__table__)


def record(db: Session, lead: m.Lead, actor: Actor, action: str, changes: dict[str, Any]) -> None:
    """Ends the lead's current stay and starts the next when ``action`` put it in a status
    (created, or moved: ``changes`` names its status, state or type); a deleted lead's
    stays go with it."""
    if action == "delete":  # reports count the leads that are
        db.execute(delete(STAGES).where(STAGES.c.lead_id == lead.id))
        return
    if action != "create" and not MOVES & changes.keys():
        return
    now = clock.now()
    row = {
        "lead_id": lead.id,
        "type_id": lead.type_id,
        "status_id": lead.status_id,
        "life_cycle_state": lead.life_cycle_state,
        "entered_at": now,
        "user_id": actor.user.id,
        **audience.of(lead),
    }
    if action == "create":  # written at commit, in the feed's statement (feed.stay)
        feed.stay(db, {**row, "first": True})
        return
    left = literal(now, STAGES.c.left_at.type)
    db.execute(
        update(STAGES)
        .where(STAGES.c.lead_id == lead.id, STAGES.c.left_at.is_(None))
        .values(left_at=now, seconds=elapsed(db, left, STAGES.c.entered_at))
    )
    earlier = select(STAGES.c.id).where(
        STAGES.c.lead_id == lead.id, STAGES.c.status_id == lead.status_id
    )
    values = [literal(value, STAGES.c[key].type) for key, value in row.items()]
    db.execute(insert(STAGES).from_select([*row, "first"], select(*values, not_(earlier.exists()))))
