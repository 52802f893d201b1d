"""leadbook scores: recompute the stored scores of open leads now."""

from __future__ import annotations

import typer

from leadbook.cli.common import sessions


def recompute() -> None:
    """Recomputes the score of every open lead as of now (what the worker does daily)."""
    from leadbook.db import transaction
    from leadbook.domain import scoring

    with transaction(sessions()) as db:
        moved = scoring.recompute(db)
    typer.echo(f"{moved} lead score(s) changed.")
