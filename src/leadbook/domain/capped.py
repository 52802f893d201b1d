"""A read whose time does not grow with the leads: a board column's first cards, found
from the board's index alone."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter, narrowed
from leadbook.domain.loading import SHOWN


def firsts(db: Session, actor: Actor, f: LeadFilter, limit: int) -> list[m.Lead]:
    """Returns the first ``limit`` leads ``actor`` sees meeting ``f`` by priority, then
    number (a board column's cards), loaded as ``queries.shown`` loads them; their ids are
    found first, from the board's index alone on PostgreSQL (it holds the filters' and the
    visibility rule's columns), so a filter passing few leads reads no row it rejects."""
    order = queries.ordering("priority")
    ids = narrowed(select(m.Lead.id), actor, f).order_by(*order).limit(queries.fixed(limit))
    stmt = select(m.Lead).where(m.Lead.id.in_(ids.scalar_subquery())).order_by(*order)
    stmt = queries.planned_for(stmt, f)
    return list(db.scalars(stmt.options(*SHOWN)))
