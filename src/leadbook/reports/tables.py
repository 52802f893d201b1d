"""Each report as a table (a header and rows) for its CSV export and the web pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadbook.domain.reports.activity import UserActivity
from leadbook.domain.reports.conversion import Row
from leadbook.domain.reports.durations import StatusTime
from leadbook.domain.reports.funnel import Funnel
from leadbook.domain.reports.stats import Summary

Table = tuple[list[str], list[list[Any]]]


def funnel(report: Funnel) -> Table:
    """The stages, then the exits (no drop-off)."""
    rows: list[list[Any]] = [
        [s.status, s.life_cycle_state, s.leads, s.drop_off_percent] for s in report.stages
    ]
    rows += [[name, "exit", count, None] for name, count in report.exits.items()]
    return ["status", "life_cycle_state", "leads", "drop_off_percent"], rows


def conversion(report: Sequence[Row]) -> Table:
    """A row per source."""
    header = [
        "source",
        "leads",
        "won",
        "lost",
        "open",
        "conversion_percent",
        "win_rate_percent",
    ]
    return header, [[getattr(row, name) for name in header] for row in report]


def time_to_win(report: Summary) -> Table:
    """One row: how many leads won, the median and p90 in days."""
    return ["won", "median_days", "p90_days"], [
        [report.count, days(report.median), days(report.p90)]
    ]


def time_in_status(report: Sequence[StatusTime]) -> Table:
    """A row per status."""
    header = ["status", "life_cycle_state", "stays", "median_days", "p90_days"]
    return header, [
        [r.status, r.life_cycle_state, r.time.count, days(r.time.median), days(r.time.p90)]
        for r in report
    ]


def activity(report: Sequence[UserActivity]) -> Table:
    """A row per user, a column per action any user made."""
    actions = sorted({action for row in report for action in row.actions})
    return ["username", "changes", *actions], [
        [row.username, row.changes, *(row.actions.get(a, 0) for a in actions)] for row in report
    ]


def days(seconds: float | None) -> float | None:
    """Returns ``seconds`` in days, to two decimals."""
    return None if seconds is None else round(seconds / 86400, 2)
