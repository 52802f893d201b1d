"""The lead aggregate: the lead row, its sets (competitors, users, products) and its history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.access import AccessCopy
from leadbook.models.base import Base, HasId, utcnow
from leadbook.models.catalog import (
    Product,
    ProductBrand,
    ProductFamily,
    ProductType,
    SubscriptionPackage,
)
from leadbook.models.parties import AccountsReceivable, Communication, Contact, Notification
from leadbook.models.reference import (
    Competitor,
    Group,
    LeadCategory,
    LeadStatus,
    LeadType,
    LostReason,
    PrivacyLevel,
    Unit,
    User,
)

UDF_STRINGS = tuple(f"udf_string_{i}" for i in range(1, 9))
UDF_FLOATS = tuple(f"udf_float_{i}" for i in range(1, 5))
UDF_DATES = tuple(f"udf_date_{i}" for i in range(1, 5))


# a board column's leads in the order of its cards; what its totals read of them besides
BOARD = ("type_id", "status_id", "priority", "number")
SUMMED = ["life_cycle_state", "target_amount", "probability_to_win", "merged_into_id"]
FILTERED = ["source_type", "source_name", "created_date", "expected_completion_date"]
ACCESS = ["id", "assigned_user_id", "assigned_unit_id", "owned_by_group_id", "privacy_level_id"]
# what a column's totals read besides the amount (an index keyed by the amount holds it)
UNSUMMED = [c for c in SUMMED if c != "target_amount"]


class Lead(HasId, Base):
    """A sales opportunity moving through PENDING → IN_PROGRESS → WON / LOST / CANCELLED.

    ``life_cycle_state`` is kept on the row (not only on the status) because a lead may
    keep its status while its state changes when a type has no default status.
    ``version`` guards against lost updates: a stale write fails instead of overwriting.
    """

    __tablename__ = "leads"
    # given by the INSERT (numbering.next_in_insert): FetchedValue has it returned
    number: Mapped[int] = mapped_column(Integer, unique=True, server_default=FetchedValue())
    version: Mapped[int] = mapped_column(Integer, default=1)
    life_cycle_state: Mapped[str] = mapped_column(String(20))
    type_id: Mapped[str] = mapped_column(ForeignKey("lead_types.id"))
    status_id: Mapped[str] = mapped_column(ForeignKey("lead_statuses.id"))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("lead_categories.id"))
    lost_reason_id: Mapped[str | None] = mapped_column(ForeignKey("lost_reasons.id"))
    importance: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(Integer)
    probability_to_win: Mapped[float | None] = mapped_column(Float)
    target_amount: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(200), index=True)
    contact_phone: Mapped[str | None] = mapped_column(String(50), index=True)
    start_date: Mapped[datetime] = mapped_column(DateTime)
    expected_completion_date: Mapped[datetime | None] = mapped_column(DateTime)
    estimated_time_value: Mapped[float | None] = mapped_column(Float)
    estimated_time_uot: Mapped[str | None] = mapped_column(String(10))
    actual_completion_date: Mapped[datetime | None] = mapped_column(DateTime)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    accounts_receivable_id: Mapped[str | None] = mapped_column(ForeignKey("accounts_receivable.id"))
    # lead source: a type plus whichever reference the type needs
    source_type: Mapped[str] = mapped_column(String(30))
    source_name: Mapped[str | None] = mapped_column(String(200))
    source_communication_id: Mapped[str | None] = mapped_column(ForeignKey("communications.id"))
    source_notification_id: Mapped[str | None] = mapped_column(ForeignKey("notifications.id"))
    source_contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    source_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    assigned_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    assigned_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    owned_by_group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id"))
    privacy_level_id: Mapped[str | None] = mapped_column(ForeignKey("privacy_levels.id"))
    lead_owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    subscription_package_id: Mapped[str | None] = mapped_column(
        ForeignKey("subscription_packages.id")
    )
    # fields the XML resource API carries (seed 004)
    project_ref: Mapped[str | None] = mapped_column(String(50))
    # 0 prospect / 1 customer as an XML client wrote it; null: as the lead's contact is
    is_engaged: Mapped[bool | None] = mapped_column(Boolean)
    # where a captured lead came from: UTM parameters, click ids, the landing page
    attribution: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # attribution's utm_source, kept by the database (a generated column) for reports
    utm_source: Mapped[str | None] = mapped_column(
        String(200), Computed("attribution ->> 'utm_source'", persisted=True)
    )
    learning_on_customer: Mapped[str | None] = mapped_column(Text)
    learning_on_sales_tools: Mapped[str | None] = mapped_column(Text)
    learning_on_products: Mapped[str | None] = mapped_column(Text)
    # user defined fields
    udf_string_1: Mapped[str | None] = mapped_column(String(500))
    udf_string_2: Mapped[str | None] = mapped_column(String(500))
    udf_string_3: Mapped[str | None] = mapped_column(String(500))
    udf_string_4: Mapped[str | None] = mapped_column(String(500))
    udf_string_5: Mapped[str | None] = mapped_column(String(500))
    udf_string_6: Mapped[str | None] = mapped_column(String(500))
    udf_string_7: Mapped[str | None] = mapped_column(String(500))
    udf_string_8: Mapped[str | None] = mapped_column(String(500))
    udf_float_1: Mapped[float | None] = mapped_column(Float)
    udf_float_2: Mapped[float | None] = mapped_column(Float)
    udf_float_3: Mapped[float | None] = mapped_column(Float)
    udf_float_4: Mapped[float | None] = mapped_column(Float)
    udf_date_1: Mapped[datetime | None] = mapped_column(DateTime)
    udf_date_2: Mapped[datetime | None] = mapped_column(DateTime)
    udf_date_3: Mapped[datetime | None] = mapped_column(DateTime)
    udf_date_4: Mapped[datetime | None] = mapped_column(DateTime)
    # merged into another lead (domain/leadmerge.py): closed to writes, read as the survivor
    merged_into_id: Mapped[str | None] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True
    )
    # the sum of the scoring rules' points (domain/scoring.py), kept in step with the lead
    score: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # log information
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    updated_by_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_by_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    updated_by_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    # the last note or activity logged or done, or move (domain/workflow clock)
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime)

    type: Mapped[LeadType] = relationship()
    status: Mapped[LeadStatus] = relationship()
    category: Mapped[LeadCategory | None] = relationship()
    lost_reason: Mapped[LostReason | None] = relationship()
    contact: Mapped[Contact] = relationship(foreign_keys=[contact_id])
    accounts_receivable: Mapped[AccountsReceivable | None] = relationship()
    source_communication: Mapped[Communication | None] = relationship()
    source_notification: Mapped[Notification | None] = relationship()
    source_contact: Mapped[Contact | None] = relationship(foreign_keys=[source_contact_id])
    source_user: Mapped[User | None] = relationship(foreign_keys=[source_user_id])
    assigned_unit: Mapped[Unit | None] = relationship(foreign_keys=[assigned_unit_id])
    assigned_user: Mapped[User | None] = relationship(foreign_keys=[assigned_user_id])
    owned_by_group: Mapped[Group | None] = relationship()
    privacy_level: Mapped[PrivacyLevel | None] = relationship()
    lead_owner: Mapped[User | None] = relationship(foreign_keys=[lead_owner_id])
    subscription_package: Mapped[SubscriptionPackage | None] = relationship()
    created_by_user: Mapped[User | None] = relationship(foreign_keys=[created_by_user_id])
    updated_by_user: Mapped[User | None] = relationship(foreign_keys=[updated_by_user_id])
    created_by_unit: Mapped[Unit | None] = relationship(foreign_keys=[created_by_unit_id])
    updated_by_unit: Mapped[Unit | None] = relationship(foreign_keys=[updated_by_unit_id])

    competitors: Mapped[list[LeadCompetitor]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadCompetitor.position"
    )
    users: Mapped[list[LeadUser]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadUser.position"
    )
    products: Mapped[list[LeadProduct]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadProduct.position"
    )

    # eager_defaults: what the database gives a row (its number from the sequence, taken by
    # the INSERT itself on PostgreSQL; the generated utm_source) comes back in the write's
    # own RETURNING, never read by a statement of its own
    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    # filters of leads/list and the get_* methods, each followed by the order (number),
    # so a filtered page is an index range scan, not a sort of every match
    __table_args__ = (
        Index("ix_leads_state_expected", "life_cycle_state", "expected_completion_date"),
        Index("ix_leads_state_number", "life_cycle_state", "number"),
        Index("ix_leads_type_number", "type_id", "number"),
        Index("ix_leads_category_number", "category_id", "number"),
        Index("ix_leads_contact_number", "contact_id", "number"),
        Index("ix_leads_account_number", "accounts_receivable_id", "number"),
        Index("ix_leads_source_number", "source_type", "number"),
        Index("ix_leads_importance_number", "importance", "number"),
        Index("ix_leads_priority_number", "priority", "number"),
        Index("ix_leads_assigned_number", "assigned_user_id", "number"),
        Index("ix_leads_score_number", "score", "number"),
        # reports: leads created, and leads closed, in a period
        Index("ix_leads_type_created", "type_id", "created_date"),
        Index("ix_leads_state_completed", "life_cycle_state", "actual_completion_date"),
        # conversion by source: read from the index alone
        Index("ix_leads_utm_state_created", "utm_source", "life_cycle_state", "created_date"),
        Index("ix_leads_name_state_created", "source_name", "life_cycle_state", "created_date"),
        # the board: a column's first cards in order, and its totals, read from the index
        # alone on PostgreSQL (the filters' and the visibility rule's columns included);
        # everyone's leads, and a user's (my leads; also the list's count of them)
        Index("ix_leads_board", *BOARD, postgresql_include=[*SUMMED, *FILTERED, *ACCESS]),
        Index(
            "ix_leads_assigned_board",
            "assigned_user_id",
            *BOARD,
            postgresql_include=[*SUMMED, *FILTERED, "privacy_level_id", "owned_by_group_id", "id"],
        ),
        # a selective filter's leads found at once, not by walking the board's index range
        # of each column until they show: a source name's cards in order and totals; an
        # amount range's leads of a column, and of a user (his list and its count)
        Index(
            "ix_leads_source_board",
            "source_name",
            *BOARD,
            postgresql_include=[*SUMMED, *(c for c in FILTERED if c != "source_name"), *ACCESS],
        ),
        Index(
            "ix_leads_amount_board",
            "type_id",
            "status_id",
            "target_amount",
            postgresql_include=["priority", "number", *UNSUMMED, *FILTERED, *ACCESS],
        ),
        Index(
            "ix_leads_amount_assigned",
            "assigned_user_id",
            "target_amount",
            postgresql_include=[
                "number", "merged_into_id", "privacy_level_id", "owned_by_group_id", "id"
            ],
        ),
    )


class LeadCompetitor(HasId, Base):
    __tablename__ = "lead_competitors"
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    competitor_id: Mapped[str] = mapped_column(ForeignKey("competitors.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    lead: Mapped[Lead] = relationship(back_populates="competitors")
    competitor: Mapped[Competitor] = relationship()
    __table_args__ = (UniqueConstraint("lead_id", "competitor_id"),)


class LeadUser(HasId, Base):
    """A member of the team working a lead."""

    __tablename__ = "lead_users"
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)  # access.visible
    position: Mapped[int] = mapped_column(Integer, default=0)

    lead: Mapped[Lead] = relationship(back_populates="users")
    user: Mapped[User] = relationship()
    __table_args__ = (UniqueConstraint("lead_id", "user_id"),)


class LeadProduct(HasId, Base):
    """One item of a lead's products: exactly one of product, type, brand or family.

    ``kind`` says which set the item belongs to: PRODUCT (``products_set``, R18) or the
    deprecated SERVICE (``services_set``) and PHYSICAL_GOOD (``physical_goods_set``).
    """

    __tablename__ = "lead_products"
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="PRODUCT")
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    product_type_id: Mapped[str | None] = mapped_column(ForeignKey("product_types.id"))
    product_brand_id: Mapped[str | None] = mapped_column(ForeignKey("product_brands.id"))
    product_family_id: Mapped[str | None] = mapped_column(ForeignKey("product_families.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    lead: Mapped[Lead] = relationship(back_populates="products")
    product: Mapped[Product | None] = relationship()
    product_type: Mapped[ProductType | None] = relationship()
    product_brand: Mapped[ProductBrand | None] = relationship()
    product_family: Mapped[ProductFamily | None] = relationship()


class LeadEvent(AccessCopy, Base):
    """One accepted change to a lead: who, when, which action, and the fields it changed.

    Kept after the lead is deleted (no foreign key), so the audit trail outlives it.
    """

    __tablename__ = "lead_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(String(32), index=True)
    lead_number: Mapped[int] = mapped_column(Integer, index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[str | None] = mapped_column(String(32))
    username: Mapped[str | None] = mapped_column(String(100))
    unit_id: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(30))
    via: Mapped[str | None] = mapped_column(String(20))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (
        # a salesman's activity report: his leads' events alone, from the index alone
        Index(
            "ix_lead_events_user_occurred",
            "assigned_user_id",
            "occurred_at",
            postgresql_include=["username", "action", "privacy_level_id"],
        ),
        Index("ix_lead_events_group", "owned_by_group_id"),
    )
