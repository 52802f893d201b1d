"""Assignment rules: who a new lead goes to when its creator names nobody."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId
from leadbook.models.reference import Group, Unit, User


class AssignmentRule(HasId, Base):
    """A rule: when a new lead matches ``conditions`` (field → value, or a list of
    values), it goes to ``user``, or round-robin to the active users of ``unit`` or of
    ``group``'s units. Rules are tried by ``position``; ``last_user_id`` is the
    round-robin's state (the user the rule gave the last lead to)."""

    __tablename__ = "assignment_rules"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=100)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    last_user_id: Mapped[str | None] = mapped_column(String(32))

    unit: Mapped[Unit | None] = relationship()
    group: Mapped[Group | None] = relationship()
    user: Mapped[User | None] = relationship()
