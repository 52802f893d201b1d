"""Web forms that create leads (``POST /intake/{key}``), and the mail addresses that do."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.assignment import AssignmentRule
from leadbook.models.base import Base, HasId
from leadbook.models.reference import LeadType, User


class IntakeForm(HasId, Base):
    """An embeddable form: its fields (``field_map``: form field → lead or contact field)
    make a lead of ``lead_type`` as ``user``, from a page on one of ``allowed_origins``;
    ``rule`` (else the general rules) assigns it; ``redirect_url`` thanks the visitor.
    Mail to ``email_address`` makes leads of the form too (domain/mail.py)."""

    __tablename__ = "intake_forms"
    key: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    lead_type_id: Mapped[str] = mapped_column(ForeignKey("lead_types.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    field_map: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_type: Mapped[str] = mapped_column(String(30), default="WEBSITE")
    source_name: Mapped[str | None] = mapped_column(String(200))
    importance: Mapped[str] = mapped_column(String(20), default="IMPORTANCE2")
    priority: Mapped[int] = mapped_column(Integer, default=2)
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    rule_id: Mapped[str | None] = mapped_column(ForeignKey("assignment_rules.id"))
    redirect_url: Mapped[str | None] = mapped_column(String(500))
    # a second submission of the same person within these minutes is the first one's lead
    double_submit_minutes: Mapped[int] = mapped_column(Integer, default=10)
    # mail to this address becomes a lead of the form (``leadbook smtp``)
    email_address: Mapped[str | None] = mapped_column(String(254), unique=True)

    lead_type: Mapped[LeadType] = relationship()
    user: Mapped[User] = relationship()
    rule: Mapped[AssignmentRule | None] = relationship()
