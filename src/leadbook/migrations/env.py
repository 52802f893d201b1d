"""Alembic environment: runs migrations against the configured database URL."""

from alembic import context

from leadbook.db import make_engine
from leadbook.models import Base
from leadbook.models.search import compared

config = context.config
url = config.get_main_option("sqlalchemy.url") or ""  # migrate.alembic_config sets it


def run_migrations_offline() -> None:
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=compared,
    )
    with context.begin_transaction():
        context.run_migrations()


def _sqlite_foreign_keys_off(connection) -> None:
    """SQLite alters a table by rebuilding it (batch mode); with foreign keys enforced,
    dropping the old table would refuse, or cascade to, the rows pointing at it. Set
    outside any transaction (pysqlite's autocommit connection), where SQLite honours it."""
    if connection.dialect.name == "sqlite":
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(
            connection=connectable,
            target_metadata=Base.metadata,
            render_as_batch=True,
            include_name=compared,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _sqlite_foreign_keys_off(connection)
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=True,
                include_name=compared,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
