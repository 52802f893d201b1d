"""The current time, in one place so tests can move it."""

from __future__ import annotations

from datetime import datetime

from leadbook.models.base import utcnow

_frozen: datetime | None = None


def now() -> datetime:
    """Returns the current UTC time (naive, to the second), or the frozen time in tests."""
    return _frozen or utcnow()


def freeze(at: datetime | None) -> None:
    """Makes now() return ``at`` until freeze(None) is called."""
    global _frozen
    _frozen = at
