"""Conversion and win rates of the leads created in a period, by source type, source name
or an attribution key (``attribution.utm_source``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain.actor import Actor
from leadbook.domain.errors import InvalidValue
from leadbook.domain.reports.filters import ReportFilter, lead_conditions, within
from leadbook.models import LifeCycleState

GROUPS = ("source_type", "source_name", "attribution.<key>")
_KEY = re.compile(r"attribution\.[a-z0-9_]{1,40}")


@dataclass(frozen=True)
class Row:
    """The leads of one source: how many, how many won, lost and still open; conversion
    (won of all) and win rate (won of those decided: won or lost), in percent."""

    source: str | None
    leads: int
    won: int
    lost: int
    open: int
    conversion_percent: float | None
    win_rate_percent: float | None


def grouping(by: str) -> Any:
    """Returns the SQL expression of the group ``by`` names, or refuses it."""
    if by in ("source_type", "source_name"):
        return getattr(m.Lead, by)
    if by == "attribution.utm_source":  # kept in a column of its own (models.Lead)
        return m.Lead.utm_source
    if _KEY.fullmatch(by):
        return m.Lead.attribution[by.partition(".")[2]].as_string()
    raise InvalidValue(f"{{field}} must be one of {', '.join(GROUPS)}, not {by!r}", field="by")


def conversion(db: Session, actor: Actor, f: ReportFilter, by: str = "source_type") -> list[Row]:
    """Returns a row per source of the leads ``actor`` sees created in ``f``'s period, the
    most leads first."""
    group = grouping(by)
    state = m.Lead.life_cycle_state

    def counted(*states: str) -> Any:
        return func.sum(case((state.in_(states), 1), else_=0).cast(Integer))

    open_states = (LifeCycleState.PENDING, LifeCycleState.IN_PROGRESS)
    query = (
        select(
            group,
            func.count(),
            counted(LifeCycleState.WON),
            counted(LifeCycleState.LOST),
            counted(*open_states),
        )
        .where(*lead_conditions(actor, f), *within(m.Lead.created_date, f))
        .group_by(group)
        .order_by(func.count().desc(), group)
    )
    rows = []
    for source, leads, won, lost, still_open in db.execute(query):
        won, lost = int(won or 0), int(lost or 0)
        rows.append(
            Row(
                source=source,
                leads=leads,
                won=won,
                lost=lost,
                open=int(still_open or 0),
                conversion_percent=_percent(won, leads),
                win_rate_percent=_percent(won, won + lost),
            )
        )
    return rows


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
