"""What the commands share: sessions on the configured database, and failing with a message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from leadbook.config import Settings


def sessions():
    """A session factory on the configured database."""
    from leadbook.config import get_settings
    from leadbook.db import make_engine, make_sessionmaker

    settings = get_settings()
    return make_sessionmaker(
        make_engine(settings.database_url, busy_timeout=settings.busy_timeout_seconds)
    )


def fail(exc: Exception) -> NoReturn:
    """Prints the error's message and exits with status 1."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[red]error:[/red] {escape(str(getattr(exc, 'message', exc)))}")
    raise typer.Exit(1)


def ready(given: dict[str, Any], doing: str) -> Settings:
    """Returns the settings in force with the command's options ``given`` (None: not
    given), checked; exits saying why when they are refused or the database is not
    migrated (``doing``: what the command would not do, e.g. "not serving")."""
    from leadbook import migrate
    from leadbook.config import SettingsError, get_settings

    try:
        settings = get_settings().checked({k: v for k, v in given.items() if v is not None})
    except SettingsError as exc:
        fail(exc)
    problem = migrate.problem(settings.database_url)
    if problem:
        fail(ValueError(f"{doing}: {problem}"))
    return settings
