"""Medians and 90th percentiles of durations, as PostgreSQL's ``percentile_cont`` computes
them (linear interpolation between the two nearest values), on either database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal
from sqlalchemy.orm import Session

QUANTILES = (0.5, 0.9)


@dataclass(frozen=True)
class Summary:
    """How many durations, and their median and 90th percentile, in seconds."""

    count: int
    median: float | None
    p90: float | None


def elapsed(db: Session, later: Any, earlier: Any) -> Any:
    """Returns the SQL expression of the seconds from ``earlier`` to ``later``."""
    if _postgres(db):
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def summaries(db: Session, query: Select, value: Any, group: Any = None) -> dict[Any, Summary]:
    """Returns the summary of ``value`` over the rows of ``query`` (its FROM and WHERE),
    per value of ``group`` (None: one group, keyed None)."""
    key = group if group is not None else literal(None)
    if _postgres(db):
        cont = [func.percentile_cont(q).within_group(value) for q in QUANTILES]
        stmt = query.with_only_columns(key, func.count(value), *cont)
        if group is not None:
            stmt = stmt.group_by(group)
        return {row[0]: Summary(row[1], _float(row[2]), _float(row[3])) for row in db.execute(stmt)}
    grouped: dict[Any, list[float]] = defaultdict(list)
    for name, seconds in db.execute(query.with_only_columns(key, value)):
        if seconds is not None:
            grouped[name].append(float(seconds))
    return {name: summary(found) for name, found in grouped.items()}


def summary(found: list[float]) -> Summary:
    """Returns the summary of the durations ``found``."""
    if not found:
        return Summary(0, None, None)
    ordered = sorted(found)
    return Summary(len(ordered), *(_cont(ordered, q) for q in QUANTILES))


def _cont(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _postgres(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"
