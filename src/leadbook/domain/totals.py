"""A board column's totals: count, summed target amount and weighted amount per status,
read from the summary the database keeps (``lead_totals``) when it can answer
(``queries.summary``), else from the leads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor


@dataclass(frozen=True)
class Totals:
    """A status's leads: how many, their summed target amount and their weighted amount
    (``queries.weighted``; None for a closed status)."""

    count: int = 0
    amount: float = 0.0
    weighted: float | None = None


def by_status(db: Session, actor: Actor, f: queries.LeadFilter) -> dict[str, Totals]:
    """Returns, by status id, the totals of the leads ``actor`` sees meeting ``f``: one
    statement for every status (GROUP BY), over the summary when it can answer."""
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
    return scanned(db, actor, f)


def scanned(db: Session, actor: Actor, f: queries.LeadFilter) -> dict[str, Totals]:
    """Returns ``by_status`` read from the leads themselves."""
    stmt = select(
        m.Lead.status_id,
        func.count(),
        func.coalesce(func.sum(queries.exact(m.Lead.target_amount)), 0),
        queries.weighted(),
    ).group_by(m.Lead.status_id)
    return {
        status: Totals(n, float(amount), None if heavy is None else float(heavy))
        for status, n, amount, heavy in db.execute(queries.narrowed(stmt, actor, f))
    }
