"""``leadbook workflow tick``: the worker's breach job and email sending, once, for cron."""

from __future__ import annotations

import typer

from leadbook.cli.common import sessions

workflow_app = typer.Typer(help="The sales workflow's scheduled work.", no_args_is_help=True)


@workflow_app.command("tick")
def tick() -> None:
    """Announces new first-response and rotting breaches and escalations, then sends the
    notification emails due (what `leadbook worker` does every LEADBOOK_WORKER_JOBS_SECONDS)."""
    from leadbook.config import get_settings
    from leadbook.db import transaction
    from leadbook.domain.workflow import breaches
    from leadbook.worker import mailer

    made = sessions()
    with transaction(made) as db:
        done = breaches.run(db)
    with transaction(made) as db:
        sent = mailer.send_due(db, get_settings())
    typer.echo(
        f"{done.breaches} breach(es), {done.escalations} escalation(s), {sent} email(s) sent"
    )
