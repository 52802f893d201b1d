"""Named counters that hand out sequential numbers (lead numbers, contact numbers)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base


class Counter(Base):
    """The last number handed out for ``name``; rows are locked while incremented."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
