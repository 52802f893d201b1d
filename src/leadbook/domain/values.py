"""What any stored value must be, whichever face it came through.

- text: no NUL character and no lone surrogate (neither can be stored in PostgreSQL or
  written as UTF-8);
- a number for a floating point column: finite, within ±10^15 (``MAX_NUMBER``; below 2^53,
  so whole numbers are exact and sums cannot overflow), and stored exactly as given: a
  decimal the double cannot hold as written (more than ~15 significant digits, or too small)
  is refused rather than rounded;
- a whole number for an integer column: within PostgreSQL's INTEGER (±2^31);
- a date: between the years 1900 and 2999 (``FIRST_YEAR``, ``LAST_YEAR``).

Each check raises InvalidValue with the field, so every face says which one to fix.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from leadbook.domain.errors import InvalidValue

MAX_NUMBER = 10**15
MAX_WHOLE = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2999


def text(value: str, field: str) -> str:
    """Returns ``value`` if it can be stored as text, else raises InvalidValue."""
    if "\x00" in value:
        raise InvalidValue("{field} cannot contain a NUL character", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(
            "{field} contains a lone surrogate, which is not a character", field=field
        ) from None
    return value


def number(
    value: Any, field: str, *, low: float = -MAX_NUMBER, high: float = MAX_NUMBER
) -> int | float:
    """Returns ``value`` (int, float or Decimal) as it is stored: an int, or the float that
    holds it exactly; refuses anything infinite, out of [low, high] or not exactly storable."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidValue("{field} must be a number", field=field)
    try:
        exact = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidValue("{field} must be a finite number", field=field) from None
    if not exact.is_finite():
        raise InvalidValue("{field} must be a finite number", field=field)
    if not low <= exact <= high:
        raise InvalidValue(
            f"{{field}} must be from {_plain(low)} to {_plain(high)}, not {value}", field=field
        )
    if isinstance(value, int):
        return value
    stored = float(exact)
    if isinstance(value, Decimal) and Decimal(repr(stored)) != exact:
        raise InvalidValue(
            "{field} cannot be stored exactly as given; use at most 15 significant digits",
            field=field,
        )
    return stored


def whole(value: Any, field: str, *, low: int = -MAX_WHOLE, high: int = MAX_WHOLE) -> int:
    """Returns ``value`` as an int within [low, high], or raises InvalidValue."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidValue("{field} must be a whole number", field=field)
    exact = Decimal(value)
    if not exact.is_finite() or not low <= exact <= high:
        raise InvalidValue(f"{{field}} must be a whole number from {low} to {high}", field=field)
    if exact != exact.to_integral_value():
        raise InvalidValue(f"{{field}} must be a whole number, not {_plain(value)}", field=field)
    return int(value)


def moment(value: datetime, field: str) -> datetime:
    """Returns ``value`` if its year is one a lead can hold, else raises InvalidValue."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidValue(
            f"{{field}} must be a date between the years {FIRST_YEAR} and {LAST_YEAR}", field=field
        )
    return value


def day(year: int | None, month: int | None, day_: int | None, field: str) -> None:
    """Refuses a day that no calendar has (31 February; 29 February of a common year)."""
    if month is None or day_ is None:
        return
    try:
        date(year if year is not None else 2000, month, day_)  # 2000: a leap year
    except ValueError:
        raise InvalidValue(
            f"{{field}}: {day_}/{month} is not a day of the calendar", field=field
        ) from None


def _plain(bound: float | Decimal) -> str:
    exact = Decimal(bound)
    return f"{exact:f}" if abs(exact) >= 10**6 else f"{bound:g}"
