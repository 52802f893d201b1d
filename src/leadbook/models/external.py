"""Integer stand-ins for entities whose ids are opaque strings (the XML API needs integers)."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base


class ExternalId(Base):
    """``number`` stands for the ``kind`` entity ``entity_id``; handed out once, never reused."""

    __tablename__ = "external_ids"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("kind", "entity_id"),)
