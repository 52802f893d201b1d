"""The reference data a fresh install starts with (``defaults.yaml``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.refdata import config

DATA = Path(__file__).with_name("defaults.yaml")


def install(db: Session) -> bool:
    """Applies the defaults to a database without lead types; returns whether it did."""
    if db.scalar(select(m.LeadType.id).limit(1)) is not None:
        return False
    config.apply(db, config.load_yaml(DATA.read_text()))
    return True
