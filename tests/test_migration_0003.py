"""Migration 0003 (a lead's contact NOT NULL) refuses a database holding leads without one,
naming them and changing nothing, and upgrades once each has a contact."""

import pytest
from alembic import command
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadbook import cli, migrate
from leadbook.config import get_settings
from leadbook.db import make_engine
from leadbook.models import Base, Lead
from leadbook.refdata import demo


@pytest.fixture
def at_0002(_new_database):
    """A database migrated to 0002 holding the demo data (loaded at the newest revision,
    which the models describe, then migrated down); its URL and engine."""
    url = _new_database("m0003")
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    migrate.upgrade(url)
    with Session(engine) as db:
        demo.load(db)
        db.commit()
    command.downgrade(migrate.alembic_config(url), "0002")
    yield url, engine
    engine.dispose()


def _revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def _migrate(url, monkeypatch):
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli.app, ["migrate"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()


def test_leads_without_a_contact_are_named_and_nothing_changes(at_0002, monkeypatch):
    url, engine = at_0002
    with Session(engine) as db:
        numbers = db.scalars(select(Lead.number).order_by(Lead.number).limit(2)).all()
        contacts = dict(db.execute(select(Lead.number, Lead.contact_id)).all())
        db.execute(update(Lead).where(Lead.number.in_(numbers)).values(contact_id=None))
        db.commit()

    refused = _migrate(url, monkeypatch)

    assert refused.exit_code == 1
    message = " ".join(refused.stderr.split())
    assert f"2 lead(s) have none: {numbers[0]}, {numbers[1]}." in message
    assert _revision(engine) == "0002"
    with Session(engine) as db:
        for number in numbers:
            db.execute(
                update(Lead).where(Lead.number == number).values(contact_id=contacts[number])
            )
        db.commit()

    assert _migrate(url, monkeypatch).exit_code == 0
    assert _revision(engine) >= "0003"


def test_the_contact_is_then_mandatory_and_the_downgrade_lifts_it(at_0002):
    url, engine = at_0002
    migrate.upgrade(url)
    with engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(update(Lead).values(contact_id=None))

    command.downgrade(migrate.alembic_config(url), "0002")

    with engine.begin() as conn:
        conn.execute(update(Lead).values(contact_id=None))
    assert _revision(engine) == "0002"
