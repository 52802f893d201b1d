"""Parties around a lead: contacts, accounts receivable, communications, notifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    case,
    func,
    literal,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId
from leadbook.models.reference import Country


class Contact(HasId, Base):
    """Contact information: a PERSON (with demographics) or a COMPANY (with a profile).

    ``life_cycle_state`` is MARKETING until the contact owns an accounts receivable,
    then FINANCIAL.
    """

    __tablename__ = "contacts"
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    type: Mapped[str] = mapped_column(String(10))
    life_cycle_state: Mapped[str] = mapped_column(String(20), default="MARKETING")
    title: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    company_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    phone: Mapped[str | None] = mapped_column(String(50), index=True)
    # what duplicates are looked up by, normalised (domain/identity.py)
    email_key: Mapped[str | None] = mapped_column(String(200), index=True)
    phone_key: Mapped[str | None] = mapped_column(String(50), index=True)
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)
    # set when merged into another contact (domain/merge.py): reads then give that one
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    # PERSON demographics
    gender: Mapped[str | None] = mapped_column(String(10))
    id_number: Mapped[str | None] = mapped_column(String(50), index=True)
    passport_number: Mapped[str | None] = mapped_column(String(50), index=True)
    social_security_number: Mapped[str | None] = mapped_column(String(50), index=True)
    birth_day: Mapped[int | None] = mapped_column(Integer)
    birth_month: Mapped[int | None] = mapped_column(Integer)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    name_day_day: Mapped[int | None] = mapped_column(Integer)
    name_day_month: Mapped[int | None] = mapped_column(Integer)
    country_of_residence_id: Mapped[str | None] = mapped_column(ForeignKey("countries.id"))
    id_issued_by_country_id: Mapped[str | None] = mapped_column(ForeignKey("countries.id"))
    passport_issued_by_country_id: Mapped[str | None] = mapped_column(ForeignKey("countries.id"))
    industry: Mapped[str | None] = mapped_column(String(100))
    industry_sector: Mapped[str | None] = mapped_column(String(100))
    # COMPANY profile
    registration_number: Mapped[str | None] = mapped_column(String(50), index=True)
    vat_registration_number: Mapped[str | None] = mapped_column(String(50), index=True)
    vat_registration_date: Mapped[date | None] = mapped_column(Date)
    tax_reference_number: Mapped[str | None] = mapped_column(String(50))
    annual_turnover: Mapped[float | None] = mapped_column(Float)
    number_of_employees: Mapped[int | None] = mapped_column(Integer)
    established_date: Mapped[date | None] = mapped_column(Date)
    registered_in_country_id: Mapped[str | None] = mapped_column(ForeignKey("countries.id"))

    country_of_residence: Mapped[Country | None] = relationship(
        foreign_keys=[country_of_residence_id]
    )
    id_issued_by_country: Mapped[Country | None] = relationship(
        foreign_keys=[id_issued_by_country_id]
    )
    passport_issued_by_country: Mapped[Country | None] = relationship(
        foreign_keys=[passport_issued_by_country_id]
    )
    registered_in_country: Mapped[Country | None] = relationship(
        foreign_keys=[registered_in_country_id]
    )

    @hybrid_property
    def display_name(self) -> str:
        """Returns "First Last" for a person, the company name for a company."""
        if self.type == "COMPANY":
            return self.company_name or ""
        parts = (self.first_name, self.middle_name, self.last_name)
        return " ".join(p for p in parts if p)

    @display_name.inplace.expression
    @classmethod
    def _display_name_sql(cls) -> ColumnElement[str]:
        """The same name in SQL: each non-empty part after a blank, the first blank cut."""
        parts = (cls.first_name, cls.middle_name, cls.last_name)
        spaced = [func.coalesce(literal(" ", String).concat(func.nullif(p, "")), "") for p in parts]
        joined = func.substr(spaced[0].concat(spaced[1]).concat(spaced[2]), 2)
        return case((cls.type == "COMPANY", func.coalesce(cls.company_name, "")), else_=joined)


class AccountsReceivable(HasId, Base):
    """A customer account; owning one makes a contact a customer (FINANCIAL)."""

    __tablename__ = "accounts_receivable"
    number: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    life_cycle_state: Mapped[str] = mapped_column(String(20), default="ACTIVE")
    owner_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    owner: Mapped[Contact] = relationship()


class Communication(HasId, Base):
    __tablename__ = "communications"
    number: Mapped[str] = mapped_column(String(30), unique=True)
    life_cycle_state: Mapped[str] = mapped_column(String(20), default="DRAFT")
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    subject: Mapped[str | None] = mapped_column(String(300))
    viewed: Mapped[bool] = mapped_column(Boolean, default=False)
    viewed_on: Mapped[datetime | None] = mapped_column(DateTime)

    contact: Mapped[Contact | None] = relationship()


class Notification(HasId, Base):
    __tablename__ = "notifications"
    number: Mapped[str] = mapped_column(String(30), unique=True)
    life_cycle_state: Mapped[str] = mapped_column(String(20), default="PENDING")
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    accounts_receivable_id: Mapped[str | None] = mapped_column(ForeignKey("accounts_receivable.id"))

    contact: Mapped[Contact | None] = relationship()
    accounts_receivable: Mapped[AccountsReceivable | None] = relationship()
