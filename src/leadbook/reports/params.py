"""The reports' query parameters: the period and the lead type, unit and user to narrow
to, the answer's format; a refusal names the parameter at fault."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from leadbook.domain import identifiers
from leadbook.domain.errors import InvalidValue
from leadbook.domain.reports.filters import ReportFilter

COMMON = ("since", "until", "lead_type", "unit", "user", "format")
FORMATS = ("json", "csv")
# parameter → (kind of row, the field naming it)
NAMED = {"lead_type": ("lead_type", "name"), "unit": ("unit", "name"), "user": ("user", "username")}


def moment(params: Any, name: str) -> datetime | None:
    """Returns parameter ``name`` (a day, YYYY-MM-DD, meaning its start; or a UTC time,
    YYYY-MM-DDTHH:MM:SS) as a time, or refuses it."""
    text = params.get(name)
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time())
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise InvalidValue(
            f"{{field}} must be a day (YYYY-MM-DD) or a time, not {text!r}", field=name
        ) from None


def report_filter(db: Session, params: Any, extra: tuple[str, ...] = ()) -> ReportFilter:
    """Returns the filter ``params`` ask for, refusing unknown or bad parameters."""
    allowed = (*COMMON, *extra)
    for name in params:
        if name not in allowed:
            raise InvalidValue(f"Unknown parameter {{field}}; use {', '.join(allowed)}", field=name)
    rows = {
        name: identifiers.resolve(db, kind, {field: params[name]}, param=name)
        for name, (kind, field) in NAMED.items()
        if params.get(name) is not None
    }
    return ReportFilter(since=moment(params, "since"), until=moment(params, "until"), **rows)


def wants_csv(params: Any) -> bool:
    """Whether the caller asked for CSV (``format=csv``) rather than JSON."""
    wanted = params.get("format", "json")
    if wanted not in FORMATS:
        raise InvalidValue(f"{{field}} must be one of {', '.join(FORMATS)}", field="format")
    return wanted == "csv"
