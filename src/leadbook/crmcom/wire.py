"""Reading CRM.COM requests: JSON bodies, query strings, scalars, paging, fields_set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import json5
import orjson

from leadbook.domain import identifiers
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing

DEFAULT_PAGE = None  # all results unless number_of_results is given (pre-R13 behaviour)
MAX_PAGE = 1000


class BadRequest(InvalidValue):
    """The request itself cannot be read."""

    code = "INVALID_REQUEST"
    http_status = 400


def parse_body(raw: bytes) -> dict[str, Any]:
    """Returns the JSON object of a POST body; JSON5 leniency (trailing commas, as in the
    seed's create example) is accepted when strict JSON fails."""
    if not raw.strip():
        raise BadRequest("The request body is empty; send a JSON object")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            body = json5.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"The request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object")
    return body


def check_keys(body: dict[str, Any], allowed: set[str], where: str = "the request") -> None:
    """Refuses keys ``allowed`` does not hold, so a typo is not silently ignored."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise InvalidValue(f"Unknown parameter(s) in {where}: {', '.join(unknown)}")


def query_identifier(name: str, text: str | None) -> dict[str, str] | None:
    """Returns the identifier ``text`` (``field=value``) of query parameter ``name``, or None."""
    if text is None:
        return None
    return identifiers.parse_query(name, text)


def text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list | bool):
        raise InvalidValue(f"{name} must be a string")
    return str(value)


def number(value: Any, name: str) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue(f"{name} must be a number")
    if isinstance(value, int | float):
        return value
    try:
        parsed = float(str(value).strip())
    except ValueError:
        raise InvalidValue(f"{name} must be a number, not {value!r}") from None
    if parsed != parsed or parsed in (float("inf"), float("-inf")):
        raise InvalidValue(f"{name} must be a finite number")
    return int(parsed) if parsed.is_integer() and "." not in str(value) else parsed


def whole(value: Any, name: str) -> int | None:
    parsed = number(value, name)
    if parsed is None:
        return None
    if isinstance(parsed, float) and not parsed.is_integer():
        raise InvalidValue(f"{name} must be a whole number, not {value!r}")
    return int(parsed)


def when(value: Any, name: str) -> datetime | None:
    """Reads ``2015-02-20T17:28:30`` (a date alone means midnight); zones become UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"{name} must be a date like 2015-02-20T17:28:30")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue(
            f"{name} must be a date like 2015-02-20T17:28:30, not {value!r}"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 1900 <= parsed.year <= 2999:
        raise InvalidValue(f"{name} must be a date between the years 1900 and 2999")
    return parsed.replace(microsecond=0)


def fields_set(value: Any) -> list[str] | None:
    """Returns the field names of ``fields_set`` (comma separated, or a JSON array)."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    names = [str(item).strip() for item in items if str(item).strip()]
    return names or None


def paging(offset: str | None, number_of_results: str | None) -> tuple[int, int | None]:
    """Returns (offset, limit) from ``offset`` and ``number_of_results``."""
    offset = whole(offset, "offset") or 0
    limit = whole(number_of_results, "number_of_results")
    if offset < 0:
        raise InvalidValue("offset must be 0 or more")
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidValue(f"number_of_results must be from 1 to {MAX_PAGE}")
    return offset, limit


def require(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if value is None:
        raise MandatoryParameterMissing(f"{name} is mandatory")
    return value
