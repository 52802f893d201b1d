"""Scoring rules: the points a lead earns, summed into its stored score."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base, HasId


class ScoringRule(HasId, Base):
    """A rule of ``kind`` ``field`` (a lead meeting ``conditions``, as assignment rules
    state them, earns ``points``), ``recency`` (a lead touched within ``days`` days earns
    ``points``) or ``decay`` (a lead earns ``points``, usually negative, per day idle beyond
    ``days``)."""

    __tablename__ = "scoring_rules"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="field")
    position: Mapped[int] = mapped_column(Integer, default=100)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    points: Mapped[int] = mapped_column(Integer, default=0)
    days: Mapped[int] = mapped_column(Integer, default=0)
