"""leadbook demo and leadbook config: reference data and the demo data."""

from __future__ import annotations

import typer

from leadbook.cli.common import fail, sessions


def demo(
    seed_tokens: bool = typer.Option(
        False, help="Install the CRM.COM seed examples' literal tokens (never expiring)"
    ),
) -> None:
    """Loads the demo data (idempotent): reference data and demo leads, the seed tokens on
    request."""
    from rich.console import Console

    from leadbook.db import transaction
    from leadbook.domain.errors import DomainError
    from leadbook.refdata import demo as demo_data

    try:
        with transaction(sessions()) as db:
            added = demo_data.load(db, seed_tokens=seed_tokens)
    except DomainError as exc:
        fail(exc)
    Console().print(
        f"Demo data ready: {added['leads']} lead(s) and {added['tokens']} token(s) added. "
        f"Log in as [bold]{demo_data.ADMIN}[/bold] / [bold]{demo_data.PASSWORD}[/bold]."
    )


def config_apply(
    path: typer.FileText,
    dry_run: bool = typer.Option(False, help="Report what would change, change nothing"),
) -> None:
    """Applies a YAML file of reference data: creates and updates, never deletes."""
    from rich.console import Console
    from rich.table import Table

    from leadbook.domain.errors import DomainError
    from leadbook.refdata import config

    db = sessions()()
    try:
        outcome = config.apply(db, config.load_yaml(path.read()))
        db.rollback() if dry_run else db.commit()
    except DomainError as exc:
        db.rollback()
        fail(exc)
    finally:
        db.close()
    table = Table(
        "section", "created", "updated", "unchanged", title="dry run" if dry_run else None
    )
    for name in [*(s.name for s in config.SECTIONS), *config.RULED]:
        counts = [getattr(outcome, b).get(name, 0) for b in ("created", "updated", "unchanged")]
        if any(counts):
            table.add_row(name, *map(str, counts))
    Console().print(table)


def config_export(
    with_secrets: bool = typer.Option(
        False, help="Include the webhook subscriptions' signing secrets (keep the file secret)"
    ),
) -> None:
    """Prints every reference row and webhook subscription as YAML that `config apply`
    accepts (passwords never; webhook secrets only with --with-secrets)."""
    import yaml

    from leadbook.refdata import config

    with sessions()() as db:
        document = {
            **config.export(db),
            "webhooks": config.export_webhooks(db, secrets=with_secrets),
        }
        typer.echo(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
