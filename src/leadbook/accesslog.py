"""uvicorn's logging with the access log's secrets hidden: a query parameter that carries a
token, password or key is logged as ``***`` (``leadbook serve`` installs it)."""

from __future__ import annotations

import copy
import logging
from urllib.parse import unquote_plus

from uvicorn.config import LOGGING_CONFIG

SECRET_PARAMETERS = {"token", "password", "key", "api_key", "web_api_key"}


def hide_secrets(path: str) -> str:
    """Returns ``path`` with the values of its secret query parameters replaced by ``***``."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    parts = []
    for part in query.split("&"):
        name, eq, _ = part.partition("=")
        secret = unquote_plus(name).strip().lower() in SECRET_PARAMETERS
        parts.append(f"{name}{eq}***" if secret and eq else part)
    return f"{base}?{'&'.join(parts)}"


class HideSecrets(logging.Filter):
    """Rewrites an access-log record's path (uvicorn's third argument) with hide_secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], hide_secrets(args[2]), *args[3:])
        return True


LOG_CONFIG = copy.deepcopy(LOGGING_CONFIG)
LOG_CONFIG["filters"] = {"hide_secrets": {"()": "leadbook.accesslog.HideSecrets"}}
LOG_CONFIG["handlers"]["access"]["filters"] = ["hide_secrets"]
