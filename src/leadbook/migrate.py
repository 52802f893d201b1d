"""Schema migrations: Alembic, configured in code so an installed package can migrate."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


class MigrationRefused(Exception):
    """A migration that the stored data does not allow; its message says what to fix."""


def alembic_config(url: str) -> Config:
    """Returns an Alembic config pointing at the packaged migrations and ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Brings the database at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)
