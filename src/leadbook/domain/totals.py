"""A board column's totals: count, summed target amount and weighted amount per status,
read from the summary the database keeps (``lead_totals``) when it can answer
(``queries.summary``), else from at most ``queries.COUNTED`` + 1 leads of each column
(``capped``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter, narrowed


@dataclass(frozen=True)
class Totals:
    """A status's leads: how many, their summed target amount and their weighted amount
    (``queries.weighted``; None for a closed status)."""

    count: int = 0
    amount: float = 0.0
    weighted: float | None = None
    more: bool = False  # more than ``count`` (queries.COUNTED) leads, not summed: ``capped``


def by_status(
    db: Session,
    actor: Actor,
    f: LeadFilter,
    statuses: Sequence[m.LeadStatus] | None = None,
) -> dict[str, Totals]:
    """Returns, by status id, the totals of the leads ``actor`` sees meeting ``f``: one
    statement for every status (GROUP BY), over the summary when it can answer, else
    over the leads: all of them, or at most ``queries.COUNTED`` + 1 of each of ``statuses``
    (``capped``)."""
    total = m.LeadTotal
    weighed = func.sum(total.weighed) > 0
    kept = queries.summary(
        select(
            total.status_id,
            func.sum(total.count),
            func.sum(total.amount),
            case((weighed, func.sum(total.weighted) / 100)),
        ),
        actor,
        f,
    )
    if kept is not None:
        rows = db.execute(kept.group_by(total.status_id).having(func.sum(total.count) > 0))
        return {
            status: Totals(int(n), float(amount), None if heavy is None else float(heavy))
            for status, n, amount, heavy in rows
        }
    return scanned(db, actor, f) if statuses is None else capped(db, actor, f, statuses)


def capped(
    db: Session, actor: Actor, f: LeadFilter, statuses: Sequence[m.LeadStatus]
) -> dict[str, Totals]:
    """Returns ``by_status`` for ``statuses`` read from at most ``queries.COUNTED`` + 1 of
    each one's leads (in one statement): a status with more is said to hold more than
    ``queries.COUNTED`` (``Totals.more``), unsummed, so the time does not grow with the
    leads. A status with fewer has all its leads summed, so which ones come first does not
    matter: no order is asked, and the planner takes whichever index finds them soonest
    (docs/performance.md, "Column totals without an order")."""
    lead = m.Lead
    leads = narrowed(
        select(lead.status_id, lead.life_cycle_state, lead.target_amount, lead.probability_to_win),
        actor,
        replace(f, status=None),
    )
    firsts = [
        leads.where(lead.status_id == status.id)
        .limit(queries.fixed(queries.COUNTED + 1))
        .subquery()
        for status in statuses
        if f.status is None or f.status.id == status.id
    ]
    if not firsts:
        return {}
    chosen = union_all(*(select(*first.c) for first in firsts)).subquery()
    stmt = select(
        chosen.c.status_id,
        func.count(),
        func.coalesce(func.sum(queries.exact(chosen.c.target_amount)), 0),
        queries.weighted(chosen.c),
    ).group_by(chosen.c.status_id)
    return {
        status: Totals(queries.COUNTED, more=True)
        if n > queries.COUNTED
        else Totals(n, float(amount), None if heavy is None else float(heavy))
        for status, n, amount, heavy in db.execute(stmt)
    }


def scanned(db: Session, actor: Actor, f: LeadFilter) -> dict[str, Totals]:
    """Returns ``by_status`` read from the leads themselves."""
    stmt = select(
        m.Lead.status_id,
        func.count(),
        func.coalesce(func.sum(queries.exact(m.Lead.target_amount)), 0),
        queries.weighted(),
    ).group_by(m.Lead.status_id)
    return {
        status: Totals(n, float(amount), None if heavy is None else float(heavy))
        for status, n, amount, heavy in db.execute(narrowed(stmt, actor, f))
    }
