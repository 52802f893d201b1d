"""Migration 0008 gives the contacts stored before it their normalised keys."""

from alembic import command
from sqlalchemy import text

from leadbook import migrate
from leadbook.db import make_engine
from leadbook.models import Base


def test_stored_contacts_get_their_keys(_new_database):
    url = _new_database("m0008")
    engine = make_engine(url)
    try:
        Base.metadata.drop_all(engine)
        command.upgrade(migrate.alembic_config(url), "0007")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO contacts (id, number, type, life_cycle_state, last_name, email,"
                    " phone) VALUES ('C1', 'CI1', 'PERSON', 'MARKETING', ' Van  Rossum',"
                    " 'Guido@Python.ORG', '+357 (99) 765-432')"
                )
            )
        migrate.upgrade(url)
        with engine.connect() as conn:
            keys = conn.execute(
                text("SELECT email_key, phone_key, name_key, email FROM contacts")
            ).one()
        assert tuple(keys) == ("guido@python.org", "+35799765432", "van rossum", "Guido@Python.ORG")
    finally:
        engine.dispose()
