"""leadbook migrate: the database schema."""

from __future__ import annotations

from leadbook.cli.common import fail, sessions


def migrate() -> None:
    """Brings the configured database schema up to date; a fresh one gets the default
    reference data (refdata/defaults.yaml)."""
    from leadbook import migrate as migrations
    from leadbook.config import get_settings
    from leadbook.db import transaction
    from leadbook.refdata import defaults

    try:
        migrations.upgrade(get_settings().database_url)
    except migrations.MigrationRefused as exc:
        fail(exc)
    with transaction(sessions()) as db:
        defaults.install(db)
