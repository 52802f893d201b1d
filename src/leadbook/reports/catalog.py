"""The reports by name: the domain call making each, its table, and the column a chart
of it draws (the web pages and the CSV exports share this)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from leadbook.domain.actor import Actor
from leadbook.domain.errors import NotFound
from leadbook.domain.reports import activity, conversion, durations, funnel
from leadbook.reports import tables
from leadbook.reports.params import report_filter


@dataclass(frozen=True)
class Report:
    """A report: its title, extra parameters, how it is made and drawn."""

    title: str
    make: Callable[[Session, Actor, Any], tables.Table]
    bar: str  # the column the chart draws
    extra: tuple[str, ...] = ()


def _conversion(db: Session, actor: Actor, params: Any) -> tables.Table:
    f = report_filter(db, params, extra=("by", "report"))
    return tables.conversion(conversion.conversion(db, actor, f, params.get("by") or "source_type"))


def _simple(build: Callable[..., Any], table: Callable[..., tables.Table]):
    def make(db: Session, actor: Actor, params: Any) -> tables.Table:
        return table(build(db, actor, report_filter(db, params, extra=("by", "report"))))

    return make


REPORTS: dict[str, Report] = {
    "funnel": Report("Funnel", _simple(funnel.funnel, tables.funnel), "leads"),
    "conversion": Report("Conversion by source", _conversion, "leads", ("by",)),
    "time-to-win": Report(
        "Time to win", _simple(durations.time_to_win, tables.time_to_win), "median_days"
    ),
    "time-in-status": Report(
        "Time in each status",
        _simple(durations.time_in_status, tables.time_in_status),
        "median_days",
    ),
    "activity": Report("Activity per user", _simple(activity.activity, tables.activity), "changes"),
}


def report(name: str) -> Report:
    """Returns the report ``name``, or refuses."""
    if name not in REPORTS:
        raise NotFound(f"No report {name!r}; one of {', '.join(REPORTS)}", field="report")
    return REPORTS[name]
