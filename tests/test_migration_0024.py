"""Migration 0024 gives the stays and audit events stored before it their lead's access
columns (and takes them back on downgrade)."""

from alembic import command
from sqlalchemy import text

from leadbook import migrate
from leadbook.db import make_engine, make_sessionmaker, transaction
from leadbook.models import Base
from leadbook.refdata import demo

COPIED = ("assigned_user_id", "assigned_unit_id", "owned_by_group_id", "privacy_level_id")


def test_stored_stays_and_events_get_their_leads_columns(_new_database):
    url = _new_database("m0024")
    engine = make_engine(url)
    try:
        Base.metadata.drop_all(engine)
        migrate.upgrade(url)
        with transaction(make_sessionmaker(engine)) as db:
            demo.load(db)
        command.downgrade(migrate.alembic_config(url), "0023")
        migrate.upgrade(url)
        with engine.connect() as conn:
            for table in ("lead_stages", "lead_events"):
                pairs = ", ".join(f"r.{c}, l.{c}" for c in COPIED)
                rows = conn.execute(
                    text(f"SELECT {pairs} FROM {table} r JOIN leads l ON l.id = r.lead_id")
                ).all()
                assert rows and any(row[0] for row in rows), table
                for row in rows:
                    assert row[0::2] == row[1::2], table
    finally:
        engine.dispose()
