"""Reading CRM.COM requests: JSON bodies, query strings, scalars, paging, fields_set."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, overload

from leadbook.crmcom import serialize
from leadbook.domain import identifiers, values
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing

DEFAULT_PAGE = None  # all results unless number_of_results is given (pre-R13 behaviour)
MAX_PAGE = 1000
MAX_DEPTH = 16  # the seeds nest 5 levels deep


class BadRequest(InvalidValue):
    """The request itself cannot be read."""

    code = "INVALID_REQUEST"
    http_status = 400


def parse_body(raw: bytes) -> dict[str, Any]:
    """Returns the JSON object of a POST body. Numbers keep every digit given (decimals
    as Decimal); the only leniency is a trailing comma before ``}`` or ``]`` (as in the
    seed's create example); nesting deeper than ``MAX_DEPTH`` is refused."""
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8 text") from None
    if not source.strip():
        raise BadRequest("The request body is empty; send a JSON object")
    try:
        body = _loads(source)
    except ValueError as first:
        lenient = _TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(2), source)
        try:
            body = _loads(lenient) if lenient != source else None
        except ValueError:
            body = None
        if body is None:
            raise BadRequest(f"The request body is not valid JSON: {first}") from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object")
    _check_depth(body)
    return body


# a string (kept as it is) or a comma followed only by blanks and a closing bracket
_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*+")|,(\s*+[\]}])')


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _loads(source: str) -> Any:
    try:
        return json.loads(source, parse_float=Decimal, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels") from None


def _check_depth(body: Any) -> None:
    level = [body]
    for _ in range(MAX_DEPTH):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if not level:
            return
    raise BadRequest(f"The request body is nested deeper than {MAX_DEPTH} levels")


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
    """Returns a JSON string (None stays None); anything else is refused."""
    return None if value is None else _string(value, name)


def _string(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{name} must be a string")
    return values.text(value, name)


def _numeric(value: Any, name: str) -> Any:
    """A JSON number (a string is refused: the seeds type these parameters Number)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidValue(f"{name} must be a number")
    return value


def number(value: Any, name: str) -> float | int | None:
    """Returns a number as stored (see domain.values.number); None stays None."""
    if value is None:
        return None
    return values.number(_numeric(value, name), name)


def required_text(body: dict[str, Any], key: str, name: str | None = None) -> str:
    """Returns the JSON string ``body[key]``, refusing a missing or null one; ``name``
    names it in a refusal (default ``key``)."""
    return _string(require(body, key), name or key)


def required_number(body: dict[str, Any], key: str, name: str | None = None) -> float | int:
    """Returns the number ``body[key]`` as stored, refusing a missing or null one."""
    name = name or key
    return values.number(_numeric(require(body, key), name), name)


def whole(value: Any, name: str) -> int | None:
    """Returns a whole number (see domain.values.whole); None stays None."""
    if value is None:
        return None
    return values.whole(_numeric(value, name), name)


def _decimal(text_: str | None, name: str) -> Decimal | None:
    """The text of a query string read as an exact decimal."""
    if text_ is None:
        return None
    try:
        return Decimal(text_.strip())
    except InvalidOperation:
        raise InvalidValue(f"{name} must be a number, not {text_!r}") from None


@overload
def query_number(text_: str, name: str) -> float | int: ...
@overload
def query_number(text_: str | None, name: str) -> float | int | None: ...
def query_number(text_: str | None, name: str) -> float | int | None:
    """Returns the number a query string parameter gives, or None."""
    return number(_decimal(text_, name), name)


@overload
def query_whole(text_: str, name: str) -> int: ...
@overload
def query_whole(text_: str | None, name: str) -> int | None: ...
def query_whole(text_: str | None, name: str) -> int | None:
    """Returns the whole number a query string parameter gives, or None."""
    return whole(_decimal(text_, name), name)


def when(value: Any, name: str) -> datetime | None:
    """Reads ``2015-02-20T17:28:30`` (a date alone means midnight); zones become UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"{name} must be a date like 2015-02-20T17:28:30")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise InvalidValue(
            f"{name} must be a date like 2015-02-20T17:28:30, not {value!r}"
        ) from None
    return values.moment(parsed, name).replace(microsecond=0)


def fields_set(value: Any) -> list[str] | None:
    """Returns the field names of ``fields_set`` (comma separated, or a JSON array of them);
    a name lead_complete does not have is refused, with the names it has."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise InvalidValue("fields_set must be a string of comma separated field names")
    names = [n.strip() for item in items for n in values.text(item, "fields_set").split(",")]
    unknown = sorted({n for n in names if n} - set(serialize.FIELDS))
    if unknown:
        raise InvalidValue(
            f"Unknown field(s) in fields_set: {', '.join(unknown)}; "
            f"lead_complete has: {', '.join(serialize.FIELDS)}"
        )
    return [n for n in names if n] or None


def paging(offset: str | None, number_of_results: str | None) -> tuple[int, int | None]:
    """Returns (offset, limit) from ``offset`` and ``number_of_results``."""
    start = query_whole(offset, "offset") or 0
    limit = query_whole(number_of_results, "number_of_results")
    if start < 0:
        raise InvalidValue("offset must be 0 or more")
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidValue(f"number_of_results must be from 1 to {MAX_PAGE}")
    return start, limit


def require(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if value is None:
        raise MandatoryParameterMissing(f"{name} is mandatory")
    return value
