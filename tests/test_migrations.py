"""The Alembic migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from leadbook import migrate
from leadbook.db import make_engine
from leadbook.models import Base
from leadbook.models.search import compared
from tests.conftest import BACKEND

# what lead search, contact search and lead totals add outside the models
# (models/search.py, totals.py): triggers, the FTS5 tables (and their shadow tables), the
# picker's texts
UNMODELLED = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' OR name = 'lead_search_fts' "
    "OR name LIKE 'contact/_search%' ESCAPE '/'"
)


def test_migrations_match_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": compared})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_migrations_make_the_search_triggers_the_models_make(tmp_path):
    """A later migration rebuilding ``leads`` or ``contacts`` (batch mode on SQLite) drops
    their triggers: this says so."""
    made = {}
    for how in ("migrated", "created"):
        engine = make_engine(f"sqlite:///{tmp_path / how}.db")
        if how == "migrated":
            migrate.upgrade(str(engine.url))
        else:
            Base.metadata.create_all(engine)
        with engine.connect() as conn:
            made[how] = sorted(conn.execute(text(UNMODELLED)).all())
        engine.dispose()
    # the FTS5 table, 7 search and 3 totals triggers; contact_search, its FTS5 table and 4
    # shadow tables, 6 triggers
    assert len(made["created"]) == 23
    assert made["migrated"] == made["created"]


# PostgreSQL's: the triggers and their functions, the trigram indexes
PG_UNMODELLED = """
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
UNION ALL SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%trgm'
UNION ALL SELECT proname, prosrc FROM pg_proc
WHERE proname LIKE 'lead_search%' OR proname LIKE 'lead_totals%'
ORDER BY 1
"""


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL's triggers and indexes")
def test_on_postgresql_migrations_make_the_search_objects_the_models_make(_new_database):
    made = {}
    for how in ("migrated", "created"):
        url = _new_database(how)  # made from the models
        engine = make_engine(url)
        if how == "migrated":
            Base.metadata.drop_all(engine)  # its functions too (models/search.py)
            migrate.upgrade(url)
        with engine.connect() as conn:
            made[how] = conn.execute(text(PG_UNMODELLED)).all()
        engine.dispose()
    assert len(made["created"]) == 8  # 3 triggers, their 3 functions, 2 indexes
    assert made["migrated"] == made["created"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
