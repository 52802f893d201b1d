"""Time periods: ``{time_period_value, time_period_uot}`` and the arithmetic on dates.

A lead's ``expected_completion_date`` is its ``start_date`` plus its estimated completion
time; the time left (``time_to_completion``) and the time late (``time_overdue``) are
periods between calendar days, in the largest unit worth at least one (years of 365 days,
anchored months, weeks of 7 days, days); when a lead is past due is ``due``'s rule.
See docs/crmcom-api.md, "Time periods".
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from leadbook.domain import values
from leadbook.domain.due import past_due
from leadbook.domain.errors import InvalidValue
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.models import LifeCycleState

UNITS = ("MINUTES", "HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS")


def check_unit(uot: str) -> str:
    """Returns ``uot`` upper-cased if it is a unit of time, or raises InvalidValue."""
    unit = str(uot).upper()
    if unit not in UNITS:
        raise InvalidValue(f"Unknown unit of time {uot!r}; use one of {', '.join(UNITS)}")
    return unit


def add(start: datetime, value: float, uot: str, field: str = "time_period_value") -> datetime:
    """Returns ``start`` moved forward by ``value`` units, keeping the time of day; a
    period ending outside the years a lead can hold is refused, naming ``field``."""
    unit = check_unit(uot)
    values.number(value, field)
    try:
        moved = _add(start, value, unit)
    except (OverflowError, ValueError):
        moved = None
    if moved is None or not values.FIRST_YEAR <= moved.year <= values.LAST_YEAR:
        raise InvalidValue(
            f"{field}: {value} {unit} from {start:%Y-%m-%d} ends outside the years "
            f"{values.FIRST_YEAR} to {values.LAST_YEAR}"
        )
    return moved


def _add(start: datetime, value: float, unit: str) -> datetime:
    if unit in ("MONTHS", "YEARS"):
        months = value * (12 if unit == "YEARS" else 1)
        whole = int(months)
        moved = start + relativedelta(months=whole)
        fraction = months - whole
        if fraction:
            span = (moved + relativedelta(months=1)) - moved
            moved += timedelta(seconds=round(span.total_seconds() * fraction))
        return moved
    seconds = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400, "WEEKS": 7 * 86400}[unit]
    return start + timedelta(seconds=round(value * seconds))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _months(a: date, b: date) -> float:
    """Whole months from ``a`` not passing ``b``, plus the fraction of the next month."""
    rd = relativedelta(b, a)
    whole = rd.years * 12 + rd.months
    lo, hi = a + relativedelta(months=whole), a + relativedelta(months=whole + 1)
    return whole + (b - lo).days / (hi - lo).days


@functools.lru_cache(maxsize=8192)  # a page's leads share today; pages repeat their days
def between(a: date, b: date) -> tuple[int | float, str]:
    """Returns the period from day ``a`` to day ``b`` (a <= b) as (value, unit)."""
    days = (b - a).days
    if days >= 365:
        return _number(days / 365), "YEARS"
    months = _months(a, b)
    if months >= 1:
        return _number(months), "MONTHS"
    if days >= 7:
        return _number(days / 7), "WEEKS"
    return days, "DAYS"


def between_datetimes(a: datetime, b: datetime) -> tuple[int | float, str]:
    """Returns the period from ``a`` to ``b`` at the finest exact unit, for estimates.

    Whole days use ``between``; shorter spans are given in hours or minutes.
    """
    delta = b - a
    if delta.total_seconds() < 0:
        raise InvalidValue("The expected completion date is before the start date")
    if delta.seconds == 0:
        return between(a.date(), b.date())
    minutes = delta.total_seconds() / 60
    if minutes % 60 == 0:
        return _number(minutes / 60), "HOURS"
    return _number(round(minutes, 4)), "MINUTES"


def time_to_completion(state: str, expected: datetime | None, now: datetime):
    """Returns the period left until ``expected`` for an open lead, or None."""
    if state not in OPEN_STATES or expected is None or past_due(expected, now):
        return None
    return between(now.date(), expected.date())


def time_overdue(state: str, expected: datetime | None, now: datetime):
    """Returns how late an open or cancelled lead is past ``expected``, or None."""
    if state not in (*OPEN_STATES, LifeCycleState.CANCELLED) or expected is None:
        return None
    if not past_due(expected, now):
        return None
    return between(expected.date(), now.date())
