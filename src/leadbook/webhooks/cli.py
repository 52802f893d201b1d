"""``leadbook webhooks …``: subscriptions and their delivery log from the command line
(the admin API's rules and views)."""

from __future__ import annotations

import json

import typer

webhooks_app = typer.Typer(help="Webhook subscriptions and deliveries.", no_args_is_help=True)


def _sessions():
    from leadbook.config import get_settings
    from leadbook.worker.loop import sessions_for

    return sessions_for(get_settings())


def _run(work):
    """Runs ``work(db)`` in one transaction; a refusal is printed and exits 1."""
    from rich.console import Console

    from leadbook.db import transaction
    from leadbook.domain.errors import DomainError

    try:
        with transaction(_sessions()) as db:
            return work(db)
    except DomainError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None


@webhooks_app.command("list")
def list_subscriptions() -> None:
    """Prints every subscription as JSON (without secrets)."""
    from leadbook.webhooks import log

    shown = _run(lambda db: [log.subscription(row) for row in log.all_subscriptions(db)])
    typer.echo(json.dumps(shown, indent=2))


@webhooks_app.command("set")
def set_subscription(
    name: str,
    url: str = typer.Option("", help="http(s) URL to send to (needed for a new one)"),
    event_type: list[str] = typer.Option([], "--event-type", help="Event type (repeat); none: all"),
    lead_type: list[str] = typer.Option([], "--lead-type", help="Lead type name (repeat)"),
    field: list[str] = typer.Option([], "--field", help="lead.updated field (repeat)"),
    secret: str = typer.Option("", help="whsec_… secret (default: a new one)"),
    active: bool | None = typer.Option(None, "--active/--paused", help="Resume or pause"),
) -> None:
    """Creates or changes subscription NAME; prints it with its secret."""
    from leadbook.config import get_settings
    from leadbook.domain import subscriptions
    from leadbook.webhooks import log

    given: dict = {}
    for key, value in (
        ("url", url),
        ("event_types", event_type),
        ("lead_types", lead_type),
        ("fields", field),
        ("secret", secret),
    ):
        if value:
            given[key] = value
    if active is not None:
        given["active"] = active
    public = get_settings().public_url

    def save(db):
        row, _ = subscriptions.save(db, name, given, own=[public] if public else [])
        return log.subscription(row, secret=True)

    typer.echo(json.dumps(_run(save), indent=2))


@webhooks_app.command("delete")
def delete_subscription(name: str) -> None:
    """Deletes subscription NAME and its delivery log."""
    from leadbook.domain import subscriptions

    _run(lambda db: db.delete(subscriptions.find(db, name)))
    typer.echo(f"Subscription {name} deleted.")


@webhooks_app.command("deliveries")
def deliveries(
    name: str,
    state: str = typer.Option("", help="pending, delivered or failed"),
    after: int = typer.Option(0, help="Only events after this position"),
    limit: int = typer.Option(100, help="At most this many"),
) -> None:
    """Prints the delivery log of NAME as JSON."""
    from leadbook.domain import subscriptions
    from leadbook.webhooks import log

    def read(db):
        sub = subscriptions.find(db, name)
        return log.deliveries(db, sub, state=state or None, after=after, limit=limit)

    typer.echo(json.dumps(_run(read), indent=2))


@webhooks_app.command("redeliver")
def redeliver(name: str, first: int, last: int = typer.Argument(0, help="Default: FIRST")) -> None:
    """Sends the events from position FIRST to LAST again to NAME."""
    from leadbook.domain import subscriptions
    from leadbook.webhooks import fanout

    count = _run(
        lambda db: fanout.redeliver(db, subscriptions.find(db, name), first, last or first)
    )
    typer.echo(f"{count} event(s) will be sent again.")
