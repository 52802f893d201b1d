"""Credentials hidden from every log line: a ``name=value`` pair whose name is a token,
password or key (a query parameter, a form field, a ``key=value`` in a message) shows
``***``, and so does the credential of an ``Authorization`` scheme (``Bearer …``)."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import unquote_plus

SECRET_PARAMETERS = {"token", "password", "key", "api_key", "web_api_key"}
# a name=value pair starting a string or after ?, &, ; or white space
_PAIR = re.compile(r"(?P<lead>^|[?&;\s])(?P<name>[^=&;?\s]+)=(?P<value>[^&;\s]*)")
# an Authorization credential: 8 or more token characters, one of them a digit
_SCHEME = re.compile(r"\b([Bb]earer|[Bb]asic)\s+(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}")


def _pair(match: re.Match[str]) -> str:
    name = match["name"]
    if unquote_plus(name).strip().lower() not in SECRET_PARAMETERS:
        return match[0]
    return f"{match['lead']}{name}=***"


def hide_secrets(text: str) -> str:
    """Returns ``text`` with the values of its secret pairs and schemes replaced by ``***``."""
    if "=" not in text and "earer" not in text and "asic" not in text:
        return text  # neither pattern can match (most values of a line)
    return _SCHEME.sub(lambda m: f"{m[1]} ***", _PAIR.sub(_pair, text))


def _hidden(key: str, value: Any) -> Any:
    if key.lower() in SECRET_PARAMETERS:
        return "***"
    if isinstance(value, str):
        return hide_secrets(value)
    if isinstance(value, dict):
        return {k: _hidden(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_hidden("", v) for v in value]
    return value


def processor(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> dict[str, Any]:
    """A structlog processor: every value of the line with its secrets hidden."""
    return {key: _hidden(key, value) for key, value in event.items()}
