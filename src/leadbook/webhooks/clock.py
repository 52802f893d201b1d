"""Delivery times: to the microsecond (the domain's clock keeps whole seconds)."""

from __future__ import annotations

from datetime import UTC, datetime


def precise_now() -> datetime:
    """Returns the current UTC time, naive, with microseconds."""
    return datetime.now(UTC).replace(tzinfo=None)
