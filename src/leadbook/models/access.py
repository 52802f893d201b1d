"""The lead's columns the visibility rule reads, copied onto the rows reports count (a
lead's stays and audit events), so a report applies the rule without joining the leads."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class AccessCopy:
    """The lead's assignee, assigned unit, owning group and privacy level, as they are now
    (domain/audience.py keeps them; all None once the lead is deleted)."""

    assigned_user_id: Mapped[str | None] = mapped_column(String(32))
    assigned_unit_id: Mapped[str | None] = mapped_column(String(32))
    owned_by_group_id: Mapped[str | None] = mapped_column(String(32))
    privacy_level_id: Mapped[str | None] = mapped_column(String(32))
