"""What a face asks of a lead: ``LeadChanges`` and the shapes it holds (identifiers already
resolved to rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leadbook import models as m


@dataclass
class Source:
    """Where a lead came from: a type plus the name or reference that type needs."""

    type: str
    name: str | None = None
    communication: m.Communication | None = None
    notification: m.Notification | None = None
    contact: m.Contact | None = None
    user: m.User | None = None


@dataclass(frozen=True)
class ProductItem:
    """One item of a lead's products: ``field`` says which of the four ``row`` is."""

    kind: str
    field: str
    row: Any


@dataclass(frozen=True)
class RowId:
    """A set item named by the id of the lead's own row (``lead_competitor_identifier``)."""

    id: str


@dataclass
class SetEdit:
    """Items to add to and remove from one of a lead's sets."""

    add: list = field(default_factory=list)
    remove: list = field(default_factory=list)


@dataclass
class LeadChanges:
    """What to set on a lead. Keys absent from ``values`` are left alone; None clears."""

    values: dict[str, Any] = field(default_factory=dict)
    estimated_completion_time: tuple[float, str] | None = None
    estimated_given: bool = False
    source: Source | None = None
    competitors: SetEdit | None = None
    users: SetEdit | None = None
    products: SetEdit | None = None
