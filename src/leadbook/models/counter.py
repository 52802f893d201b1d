"""Where sequential numbers come from: PostgreSQL sequences, and on SQLite named counters."""

from __future__ import annotations

from sqlalchemy import Integer, Sequence, String
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base

# the things numbered (lead 128, contact CI000042, ACR0000000201) and their sequences;
# SQLite has no sequences (create_all and the migrations skip them there)
SEQUENCES = {
    name: Sequence(f"{name}_numbers", metadata=Base.metadata)
    for name in ("lead", "contact", "accounts_receivable")
}


class Counter(Base):
    """SQLite's stand-in for a sequence: the last number handed out for ``name``."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
