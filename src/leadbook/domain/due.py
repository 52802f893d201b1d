"""When a lead is overdue (or close to it): one rule for every face and every query.

Expected completion is day-based, as the CRM.COM time periods are: a lead is *past due*
once its expected completion day (UTC) is over, so a lead due today at 09:00 is not past
due at 15:00 (it has 0 days to completion). A lead is *overdue* when it is past due and
still open (Pending or In Progress); ``time_overdue`` also counts Cancelled leads (see
``periods``), Won and Lost leads are never late.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, and_

from leadbook import models as m
from leadbook.domain.vocabulary import OPEN_STATES


def past_due(expected: datetime | None, now: datetime) -> bool:
    """Returns whether the day of ``expected`` is before the day of ``now``."""
    return expected is not None and expected.date() < now.date()


def is_overdue(lead: m.Lead, now: datetime) -> bool:
    """Returns whether ``lead`` is open and past due at ``now``."""
    return lead.life_cycle_state in OPEN_STATES and past_due(lead.expected_completion_date, now)


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Returns the SQL condition of ``is_overdue`` at ``now``, for queries."""
    today = datetime.combine(now.date(), time.min)
    return and_(m.Lead.life_cycle_state.in_(OPEN_STATES), m.Lead.expected_completion_date < today)


def close_condition(now: datetime, days: int) -> ColumnElement[bool]:
    """Returns the SQL condition of an open lead due within ``days`` days of ``now``'s day
    (today included), not yet past due: *close to completion*."""
    today = datetime.combine(now.date(), time.min)
    return and_(
        m.Lead.life_cycle_state.in_(OPEN_STATES),
        m.Lead.expected_completion_date >= today,
        m.Lead.expected_completion_date < today + timedelta(days=days + 1),
    )
