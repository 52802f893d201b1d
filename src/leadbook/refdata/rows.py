"""The shape of a reference row, derived from its table's columns: each value given is
checked against its column's type (a boolean, a whole number in range, text that fits, a
date) before anything is stored, and a refusal names the row and the field."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, inspect

from leadbook.domain import values
from leadbook.domain.errors import InvalidValue

# values a file gives that are not columns (users' password, lead types' statuses)
EXTRA: dict[str, dict[str, Any]] = {
    "users": {"password": Annotated[str, Field(max_length=1024)]},
    "lead_types": {
        "statuses": list[Annotated[str, Field(max_length=200)]],
        "rotting_days": dict[Annotated[str, Field(max_length=100)], int | None],
    },
}


def _kind(column: Any) -> Any:
    """Returns the pydantic type of ``column``'s values."""
    kind = column.type
    if isinstance(kind, Boolean):
        found: Any = bool
    elif isinstance(kind, Integer):
        found = Annotated[int, Field(ge=-values.MAX_WHOLE, le=values.MAX_WHOLE)]
    elif isinstance(kind, Float):
        found = Annotated[
            float, Field(ge=-values.MAX_NUMBER, le=values.MAX_NUMBER, allow_inf_nan=False)
        ]
    elif isinstance(kind, DateTime):
        found = datetime
    elif isinstance(kind, Date):
        found = date
    elif isinstance(kind, String):  # Text too
        found = Annotated[str, Field(max_length=kind.length)] if kind.length else str
    else:
        found = Any
    return found | None if column.nullable else found


@lru_cache
def shape(section: str, model: type, skip: frozenset[str]) -> type[BaseModel]:
    """Returns the pydantic model of a row of ``section`` (columns of ``model`` but
    ``skip``, and the section's extra values)."""
    columns: Any = inspect(model).local_table.columns
    fields: dict[str, Any] = {
        column.key: (_kind(column), None) for column in columns if column.key not in skip
    }
    fields.update({name: (kind | None, None) for name, kind in EXTRA.get(section, {}).items()})
    config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)
    return create_model(f"{model.__name__}Row", __config__=config, **fields)


def check(section: str, model: type, row: dict[str, Any], skip: set[str], where: str):
    """Returns the values of ``row`` that its section's shape covers, as their columns hold
    them; refuses the first value of the wrong kind, naming it (``where.field``)."""
    try:
        checked = shape(section, model, frozenset(skip)).model_validate(row)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = f"{where}.{'.'.join(str(part) for part in error['loc'])}"
        reason = error["msg"].removeprefix("Value error, ")
        raise InvalidValue(f"{{field}}: {reason}, not {error['input']!r}", field=name) from None
    given = {key: getattr(checked, key) for key in checked.model_fields_set}
    for key, value in given.items():
        if isinstance(value, str):
            values.text(value, f"{where}.{key}")
    return given
