"""What a lead is about: products, their types, brands and families, and packages."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadbook.models.base import Base, HasId


class ProductType(HasId, Base):
    __tablename__ = "product_types"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str] = mapped_column(String(20), default="SERVICES")
    service_type: Mapped[str | None] = mapped_column(String(20))
    physical_good_type: Mapped[str | None] = mapped_column(String(20))
    used_for_provisioning: Mapped[bool] = mapped_column(Boolean, default=False)
    composition_method: Mapped[str] = mapped_column(String(20), default="FLAT")
    meter_reading_type: Mapped[str | None] = mapped_column(String(20))
    udr_type: Mapped[str | None] = mapped_column(String(20))


class Product(HasId, Base):
    __tablename__ = "products"
    code: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    product_type_id: Mapped[str | None] = mapped_column(ForeignKey("product_types.id"))
    priority_level: Mapped[int | None] = mapped_column(Integer)

    product_type: Mapped[ProductType | None] = relationship()


class ProductBrand(HasId, Base):
    __tablename__ = "product_brands"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class ProductFamily(HasId, Base):
    __tablename__ = "product_families"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class SubscriptionPackage(HasId, Base):
    __tablename__ = "subscription_packages"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    alternative_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str] = mapped_column(String(20), default="PACKAGE")
