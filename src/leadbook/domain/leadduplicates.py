"""Likely duplicate leads: two open, live leads of one lead type whose contact is the same,
or two contacts the duplicate check listed as candidates of each other; both seen by the
actor (access.visible)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, literal, or_, select
from sqlalchemy.orm import Session, aliased

from leadbook import models as m
from leadbook.domain import access
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LIVE
from leadbook.domain.vocabulary import OPEN_STATES


@dataclass(frozen=True)
class LeadPair:
    """``older`` and ``newer`` may be one opportunity: ``reason`` is ``same_contact`` or
    the contacts' candidate reason (email, phone, same_name, similar_name)."""

    older: m.Lead
    newer: m.Lead
    reason: str


def pairs(db: Session, actor: Actor, limit: int = 100) -> list[LeadPair]:
    """Returns the likely duplicate leads ``actor`` sees, the newest pairs first."""
    older, newer = aliased(m.Lead, name="older"), aliased(m.Lead, name="newer")
    candidates = select(m.Lead.id).where(
        access.visible(actor), LIVE, m.Lead.life_cycle_state.in_(OPEN_STATES)
    )
    both = and_(
        older.type_id == newer.type_id,
        older.number < newer.number,
        older.id.in_(candidates),
        newer.id.in_(candidates),
    )
    dc = m.DuplicateCandidate
    flagged = or_(
        and_(dc.contact_id == older.contact_id, dc.candidate_id == newer.contact_id),
        and_(dc.contact_id == newer.contact_id, dc.candidate_id == older.contact_id),
    )
    statements = (
        select(older, newer, literal("same_contact"))
        .select_from(older)
        .join(newer, and_(newer.contact_id == older.contact_id, both)),
        select(older, newer, dc.reason).select_from(older).join(newer, both).join(dc, flagged),
    )
    found: dict[tuple[int, int], LeadPair] = {}
    for stmt in statements:
        for first, second, reason in db.execute(_newest(stmt, newer, older, limit)):
            found.setdefault((first.number, second.number), LeadPair(first, second, reason))
    ordered = sorted(found.values(), key=lambda p: (p.newer.number, p.older.number), reverse=True)
    return ordered[:limit]


def _newest(stmt: Select, newer, older, limit: int) -> Select:
    return stmt.order_by(newer.number.desc(), older.number.desc()).limit(limit)
