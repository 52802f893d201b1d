"""Conditions on a lead's fields, as assignment and scoring rules state them: a mapping of
field → value (or a list of values), each field equal to its value, ignoring case.

A field is a column of the lead (``source_type``, ``priority``), a reference by name
(``type``, ``category``, ``assigned_user``), ``country`` (the contact's country of
residence) or ``attribution.<key>`` (``attribution.utm_source``, see capture.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from leadbook.domain.errors import InvalidValue
from leadbook.models import Lead

FIELDS = frozenset(
    {c.key for c in Lead.__table__.columns if not c.key.endswith("_id")}
    | set(inspect(Lead).relationships.keys())
    | {"country"}
) - {"id", "version", "score", "competitors", "users", "products"}


def check(conditions: Any, field: str = "conditions") -> dict[str, Any]:
    """Returns ``conditions`` (None: every lead) or refuses unknown fields and odd values,
    naming ``field``."""
    if conditions is None:
        return {}
    if not isinstance(conditions, dict):
        raise InvalidValue("{field} must be a mapping of field: value", field=field)
    for key, value in conditions.items():
        if key not in FIELDS and not key.startswith("attribution."):
            raise InvalidValue(f"{{field}}: a lead has no field {key!r}", field=field)
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise InvalidValue(
                    f"{{field}}.{key} must be text, a number or a list of them", field=field
                )
    return conditions


def holds(lead: Lead, conditions: dict[str, Any]) -> bool:
    """Returns whether ``lead`` meets every one of ``conditions``."""
    return all(_holds(lead, key, wanted) for key, wanted in conditions.items())


def _holds(lead: Lead, key: str, wanted: Any) -> bool:
    if key == "country":
        country = lead.contact.country_of_residence if lead.contact else None
        value: Any = country.name if country else None
    elif key.startswith("attribution."):
        value = (lead.attribution or {}).get(key.partition(".")[2])
    else:
        value = getattr(lead, key)
        value = getattr(value, "name", getattr(value, "username", value))
    if value is None:
        return False
    options = wanted if isinstance(wanted, list) else [wanted]
    return any(str(value).casefold() == str(option).casefold() for option in options)
