"""Reading an import row's cells: text, numbers, dates, the estimate, the source."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from sqlalchemy.orm import Session

from leadbook.domain import identifiers, vocabulary
from leadbook.domain.changes import Source
from leadbook.domain.errors import InvalidValue
from leadbook.ops.transfer.columns import SOURCE_REFERENCES


def source_of(db: Session, row: dict[str, str]) -> Source:
    """Returns the row's source (a named type is named "import" when the row names none)."""
    kind = vocabulary.canonical_source_type(get(row, "source_type") or "OTHER")
    source = Source(type=kind, name=get(row, "source_name") or None)
    if kind in vocabulary.NAMED_SOURCES:
        source.name = source.name or "import"
    reference = SOURCE_REFERENCES.get(kind)
    if reference and get(row, "source_reference"):
        entity, key = reference
        found = identifiers.resolve(
            db, entity, {key: get(row, "source_reference")}, param="source_reference"
        )
        setattr(source, entity, found)
    return source


def get(row: dict[str, str], column: str) -> str:
    """Returns the cell's text, stripped (empty when missing)."""
    return (row.get(column) or "").strip()


def digest(column: str, value: str) -> bytes:
    """Returns a short digest of a duplicate key (the key itself is never kept)."""
    return hashlib.blake2b(f"{column}\0{value}".encode(), digest_size=12).digest()


def estimate(row: dict[str, str]) -> tuple[float, str] | None:
    """Returns the row's (value, unit) estimate, or None when it gives none."""
    value, unit = get(row, "estimated_time_value"), get(row, "estimated_time_unit")
    if not value and not unit:
        return None
    if not value or not unit:
        raise InvalidValue(
            "{field} and estimated_time_unit go together", field="estimated_time_value"
        )
    amount = number(row, "estimated_time_value")
    return (int(amount) if amount.is_integer() else amount), unit.upper()


def whole(row: dict[str, str], column: str) -> int | None:
    """Returns the cell as a whole number, or None when empty."""
    value = get(row, column)
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise InvalidValue(f"{{field}} must be a whole number, not {value!r}", field=column)
    return int(value)


def number(row: dict[str, str], column: str) -> float:
    """Returns the cell as a number."""
    try:
        return float(get(row, column))
    except ValueError:
        raise InvalidValue(
            f"{{field}} must be a number, not {get(row, column)!r}", field=column
        ) from None


def date(row: dict[str, str], column: str) -> datetime:
    """Returns the cell as a date and time (zone dropped, whole seconds)."""
    try:
        return datetime.fromisoformat(get(row, column)).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise InvalidValue(
            "{field} must be a date like 2026-01-31T09:00:00", field=column
        ) from None
