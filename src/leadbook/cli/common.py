"""What the commands share: sessions on the configured database, and failing with a message."""

from __future__ import annotations

from typing import NoReturn

import typer


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
