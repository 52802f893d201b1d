"""Declarative base and column helpers shared by every table."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """Returns a fresh CRM.COM-style identifier: 32 upper-case hex characters."""
    return uuid.uuid4().hex.upper()


def utcnow() -> datetime:
    """Returns the current UTC time, naive and to the second, as the API shows dates."""
    return datetime.utcnow().replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class HasId:
    """An opaque string primary key, as CRM.COM identifies every entity."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
