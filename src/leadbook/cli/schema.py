"""leadbook migrate and leadbook backup: the database's schema, and a copy of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import typer

from leadbook.cli.common import fail, sessions


def migrate(
    check: bool = typer.Option(
        False, "--check", help="Change nothing; exit 1, saying why, unless the schema is at head"
    ),
) -> None:
    """Brings the configured database schema up to date; a fresh one gets the default
    reference data (refdata/defaults.yaml). One run at a time: a concurrent run waits."""
    from leadbook import migrate as migrations
    from leadbook.config import get_settings
    from leadbook.db import transaction
    from leadbook.refdata import defaults

    url = get_settings().database_url
    if check:
        problem = migrations.problem(url)
        if problem:
            fail(ValueError(problem))
        typer.echo(f"The database schema is at head ({migrations.head()}).")
        return
    with migrations.exclusive(url):
        try:
            migrations.upgrade(url)
        except migrations.MigrationRefused as exc:
            fail(exc)
        with transaction(sessions()) as db:
            defaults.install(db)


def backup(
    target: Path = typer.Argument(..., help="The new file to write the copy to"),
) -> None:
    """Copies the SQLite database to TARGET, consistently, while it is being served
    (PostgreSQL: pg_dump, see docs/operations.md)."""
    from leadbook import migrate as migrations
    from leadbook.config import get_settings
    from leadbook.ops.backup import sqlite_backup

    source = migrations.sqlite_file(get_settings().database_url)
    if source is None:
        fail(ValueError("leadbook backup copies an SQLite database; for PostgreSQL use pg_dump"))
    try:
        size = sqlite_backup(source, target)
    except (OSError, sqlite3.Error) as exc:
        fail(exc)
    typer.echo(f"Copied {source} to {target} ({size} bytes).")
