"""Reads whose time does not grow with the leads: a board column's first cards, found
from the board's index alone, and counts that stop at a cap when the summary
(``queries.summary``) cannot answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.loading import SHOWN


def fixed(limit: int) -> Any:
    """``limit`` written into the statement: a generic plan then knows it (a parameter is
    planned as a tenth of the rows, and a few ids become a join over every lead)."""
    return literal_column(str(int(limit)))


def firsts(db: Session, actor: Actor, f: queries.LeadFilter, limit: int) -> list[m.Lead]:
    """Returns the first ``limit`` leads ``actor`` sees meeting ``f`` by priority, then
    number (a board column's cards), loaded as ``queries.shown`` loads them; their ids are
    found first, from the board's index alone on PostgreSQL (it holds the filters' and the
    visibility rule's columns), so a filter passing few leads reads no row it rejects."""
    order = queries.ordering("priority")
    ids = queries.narrowed(select(m.Lead.id), actor, f).order_by(*order).limit(fixed(limit))
    stmt = select(m.Lead).where(m.Lead.id.in_(ids.scalar_subquery())).order_by(*order)
    stmt = queries.planned_for(stmt, f)
    return list(db.scalars(stmt.options(*SHOWN)))


def count_up_to(db: Session, actor: Actor, f: queries.LeadFilter, cap: int) -> tuple[int, bool]:
    """Returns ``queries.count`` and False when the summary answers or at most ``cap``
    leads meet ``f``, else ``cap`` and True (the leads counted only up to ``cap`` + 1)."""
    kept = queries.summary(select(func.coalesce(func.sum(m.LeadTotal.count), 0)), actor, f)
    if kept is not None:
        return int(db.scalar(kept) or 0), False
    ids = queries.narrowed(select(m.Lead.id), actor, f).limit(fixed(cap + 1)).subquery()
    found = db.scalar(queries.planned_for(select(func.count()).select_from(ids), f)) or 0
    return (cap, True) if found > cap else (found, False)
