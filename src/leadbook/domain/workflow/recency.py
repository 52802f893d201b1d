"""``leads.last_activity_at``: when a lead last saw a note or activity logged or done, or
a move (a change of its status or life cycle state); stamped in the transaction of that
change. ``last_touch``: the one answer scoring's recency and decay rules use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from leadbook import models as m
from leadbook.domain import clock

MOVES = ("status", "status_id", "life_cycle_state")


def stamp(db: Session, lead: m.Lead, at: datetime) -> None:
    """Sets the lead's last activity to ``at``, without moving its version (a note is no
    change of the lead's fields: a client holding the lead may still write it)."""
    table = m.Lead.__table__
    stmt = update(table).where(table.c.id == lead.id)  # type: ignore[arg-type]
    db.execute(stmt.values(last_activity_at=at))
    set_committed_value(lead, "last_activity_at", at)


@event.listens_for(m.Lead, "before_update")
def _moved(_mapper, _connection, lead: m.Lead) -> None:
    """Stamps a move in the lead's own UPDATE (whichever face or rule made it)."""
    stamp_move(lead)


def stamp_move(lead: m.Lead) -> None:
    """Sets ``lead``'s last activity to now when its pending change moves it (before its
    UPDATE is written: the ORM's flush, domain/leadrow.py)."""
    attrs = inspect(lead).attrs
    if any(getattr(attrs, name).history.has_changes() for name in MOVES):
        lead.last_activity_at = clock.now()


def last_touch(lead: m.Lead) -> datetime:
    """Returns the later of ``lead``'s last change (its update stamp) and its last note,
    activity or move (``last_activity_at``); a lead not yet stored: now."""
    times = [t for t in (lead.updated_date, lead.last_activity_at) if t is not None]
    return max(times) if times else lead.created_date or clock.now()
