"""The ``<lead>`` vocabulary: which elements exist, how their text is read and written."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from leadbook.domain.errors import InvalidValue
from leadbook.models import Contact, Lead, LostReason
from leadbook.xmlapi import steps

# the order every read writes them in (seed order, then the step and Leadbook's extras)
ORDER = (
    "id",
    "manager_id",
    "client_name",
    "topic",
    "contact_id",
    "firm_id",
    "is_engaged",
    "importance",
    "product_category_id",
    "value",
    "value_date",
    "confidence_pct",
    "project_id",
    "description",
    "learning_on_customer",
    "learning_on_sales_tools",
    "learning_on_products",
    "progress_id",
    "lost_reason",
    "created_at",
    "updated_at",
)
# the step has no element in the seed: written as progress_id, read under any usual name
STEP = "progress_id"
STEP_ALIASES = frozenset({STEP, "step_id", "lead_step_id", "step_label_id", "status_id"})
# written on every read, accepted (and left alone) on writes so a read can be sent back
IGNORED_ON_WRITE = frozenset({"created_at", "updated_at"})
IMPORTANCE_RANGE = (0, 5)

_COUNT = re.compile(r"\d{1,9}")
_AMOUNT = re.compile(r"\d{1,15}(?:[.,]\d{1,6})?")
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def _length(column) -> int | None:
    return getattr(column.type, "length", None)


def _id(name: str, text: str) -> int:
    """An id: a whole number, 0 (or empty) for none."""
    text = text.strip()
    if not text:
        return 0
    if not _COUNT.fullmatch(text):
        raise InvalidValue(f"<{name}> must be a whole number of 0 or more, not {text!r}")
    return int(text)


def _text(max_length: int | None) -> Callable[[str, str], str | None]:
    def read(name: str, text: str) -> str | None:
        if max_length is not None and len(text) > max_length:
            raise InvalidValue(f"<{name}> is longer than {max_length} characters")
        return text or None

    return read


def _flag(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false", ""):
        return False
    raise InvalidValue(f"<{name}> must be 0 or 1, not {text!r}")


def _importance(name: str, text: str) -> int:
    low, high = IMPORTANCE_RANGE
    value = text.strip() or "0"
    if not re.fullmatch(r"-?\d{1,9}", value) or not low <= int(value) <= high:
        raise InvalidValue(f"<{name}> must be a whole number from {low} to {high}, not {text!r}")
    return int(value)


def _amount(name: str, text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    if not _AMOUNT.fullmatch(text):
        raise InvalidValue(f"<{name}> must be an amount of 0 or more like 1500.50, not {text!r}")
    number = Decimal(text.replace(",", "."))
    value = float(number)
    if Decimal(repr(value)) != number:
        raise InvalidValue(f"<{name}> {text!r} has more digits than an amount keeps (15)")
    return value


def _percent(name: str, text: str) -> float | None:
    value = _amount(name, text)
    if value is not None and value > 100:
        raise InvalidValue(f"<{name}> must be a percentage from 0 to 100, not {text!r}")
    return value


def _date(name: str, text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidValue(f"<{name}> must be a date written DD-MM-YYYY, not {text!r}")


def _step(name: str, text: str) -> int:
    code = _id(name, text)
    return steps.by_code(code).code


READERS: dict[str, Callable[[str, str], Any]] = {
    "id": _id,
    "manager_id": _id,
    "client_name": _text(_length(Contact.company_name)),
    "topic": _text(_length(Lead.topic)),
    "contact_id": _id,
    "firm_id": _id,
    "is_engaged": _flag,
    "importance": _importance,
    "product_category_id": _id,
    "value": _amount,
    "value_date": _date,
    "confidence_pct": _percent,
    "project_id": _id,
    "description": _text(None),
    "learning_on_customer": _text(None),
    "learning_on_sales_tools": _text(None),
    "learning_on_products": _text(None),
    STEP: _step,
    "lost_reason": _text(_length(LostReason.name)),
}


def read(raw: dict[str, str]) -> dict[str, Any]:
    """Returns the typed value of each known element of a ``<lead>`` body, by element name.

    Every step alias comes back as ``progress_id``.
    """
    aliases = sorted(STEP_ALIASES & raw.keys())
    if len(aliases) > 1:
        raise InvalidValue(f"The step is given twice: {', '.join(aliases)}")
    values: dict[str, Any] = {}
    for name, text in raw.items():
        if name in IGNORED_ON_WRITE:
            continue
        key = STEP if name in STEP_ALIASES else name
        values[key] = READERS[key](name, text)
    return values


def write(name: str, value: Any) -> str:
    """Returns the text of element ``name`` holding ``value`` (None: empty, or 0 for ids)."""
    if value is None:
        return "0" if name in _IDS else ""
    if isinstance(value, bool):
        return "1" if value else "0"
    writer = _WRITERS.get(name)
    return writer(value) if writer else str(value)


def amount(value: float | None) -> str:
    """Returns an amount as written on the wire: a dot, never an exponent."""
    if value is None or not math.isfinite(value):
        return ""
    text = format(Decimal(repr(float(value))), "f")
    return text if "." in text else text + ".0"


def percent(value: float | None) -> str:
    """Returns a percentage: whole numbers without a decimal part."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else amount(value)


def day(value: date | datetime | None) -> str:
    """Returns a date as DD-MM-YYYY (the year always has 4 digits)."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}" if value else ""


def moment(value: datetime | None) -> str:
    """Returns a timestamp as incwo writes it: DD-MM-YYYY-HH-MM."""
    return f"{day(value)}-{value.hour:02d}-{value.minute:02d}" if value else ""


# every element a body may carry; others are ignored, as incwo does
KNOWN = frozenset(READERS) | STEP_ALIASES | IGNORED_ON_WRITE
_IDS = frozenset(name for name, reader in READERS.items() if reader is _id)
_WRITERS: dict[str, Callable[[Any], str]] = {
    "value": amount,
    "confidence_pct": percent,
    "value_date": day,
    "created_at": moment,
    "updated_at": moment,
}
