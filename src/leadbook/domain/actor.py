"""Who is acting: the user and unit a change is logged against."""

from __future__ import annotations

from dataclasses import dataclass

from leadbook.models import Unit, User


@dataclass(frozen=True)
class Actor:
    """The authenticated user and the unit they work in for this request."""

    user: User
    unit: Unit | None
    via: str = "api"
