"""Reference data the leads point at: types, statuses, categories, reasons, org structure."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, Column, Enum, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId


class LifeCycleState(StrEnum):
    """Where a lead (and each status) is in the pipeline, in pipeline order."""

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    WON = "WON"
    LOST = "LOST"
    CANCELLED = "CANCELLED"

    @property
    def label(self) -> str:
        """Returns the state as people read it ("In Progress")."""
        return self.replace("_", " ").title()


LIFE_CYCLE_STATES = tuple(LifeCycleState)

lead_type_statuses = Table(
    "lead_type_statuses",
    Base.metadata,
    Column("lead_type_id", ForeignKey("lead_types.id", ondelete="CASCADE"), primary_key=True),
    Column("status_id", ForeignKey("lead_statuses.id", ondelete="CASCADE"), primary_key=True),
)


class LeadStatus(HasId, Base):
    """A named status, classified by the life cycle state it puts a lead in."""

    __tablename__ = "lead_statuses"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    life_cycle_state: Mapped[str] = mapped_column(String(20))


class LeadCategory(HasId, Base):
    __tablename__ = "lead_categories"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class LostReason(HasId, Base):
    __tablename__ = "lost_reasons"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class LeadType(HasId, Base):
    """A kind of lead: its allowed statuses, default status per transition, and
    communication settings that make contact email / phone mandatory on create."""

    __tablename__ = "lead_types"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    default_category_id: Mapped[str | None] = mapped_column(ForeignKey("lead_categories.id"))
    create_status_id: Mapped[str | None] = mapped_column(ForeignKey("lead_statuses.id"))
    start_status_id: Mapped[str | None] = mapped_column(ForeignKey("lead_statuses.id"))
    win_status_id: Mapped[str | None] = mapped_column(ForeignKey("lead_statuses.id"))
    lost_status_id: Mapped[str | None] = mapped_column(ForeignKey("lead_statuses.id"))
    cancel_status_id: Mapped[str | None] = mapped_column(ForeignKey("lead_statuses.id"))
    email_on_create: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_on_create: Mapped[bool] = mapped_column(Boolean, default=False)
    default_source_name: Mapped[str | None] = mapped_column(String(200))
    # the sales workflow's targets (docs/workflow.md): first response, then escalation
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)
    escalation_hours: Mapped[int | None] = mapped_column(Integer)

    default_category: Mapped[LeadCategory | None] = relationship()
    create_status: Mapped[LeadStatus | None] = relationship(foreign_keys=[create_status_id])
    start_status: Mapped[LeadStatus | None] = relationship(foreign_keys=[start_status_id])
    win_status: Mapped[LeadStatus | None] = relationship(foreign_keys=[win_status_id])
    lost_status: Mapped[LeadStatus | None] = relationship(foreign_keys=[lost_status_id])
    cancel_status: Mapped[LeadStatus | None] = relationship(foreign_keys=[cancel_status_id])
    statuses: Mapped[list[LeadStatus]] = relationship(secondary=lead_type_statuses)


class Competitor(HasId, Base):
    __tablename__ = "competitors"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    website: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class PrivacyLevel(HasId, Base):
    __tablename__ = "privacy_levels"
    number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    hierarchy_level: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str | None] = mapped_column(Text)


class Group(HasId, Base):
    __tablename__ = "groups"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    community_name: Mapped[str | None] = mapped_column(String(100))


class Unit(HasId, Base):
    __tablename__ = "units"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id"))
    community_name: Mapped[str | None] = mapped_column(String(100))

    group: Mapped[Group | None] = relationship()


class Role(StrEnum):
    """What a user may see and do (docs/access.md)."""

    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    SALES = "SALES"
    READ_ONLY = "READ_ONLY"


class User(HasId, Base):
    """A person who logs in; ``unit`` is the unit the user belongs to, ``role`` and
    ``clearance`` (the highest privacy level it may see) what it may see and do."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(100), unique=True)
    person_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, validate_strings=True), default=Role.SALES
    )
    clearance_id: Mapped[str | None] = mapped_column(ForeignKey("privacy_levels.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # notifications by email too (else in the app only)
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=False)

    unit: Mapped[Unit | None] = relationship()
    clearance: Mapped[PrivacyLevel | None] = relationship()

    @property
    def is_admin(self) -> bool:
        """Whether the user is an administrator (may use the admin API)."""
        return self.role == Role.ADMIN


class Country(HasId, Base):
    __tablename__ = "countries"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(10))
    two_character_code: Mapped[str | None] = mapped_column(String(2))
    three_character_code: Mapped[str | None] = mapped_column(String(3))
