"""The ``leadbook`` command line: one module per command group, registered here."""

from __future__ import annotations

import typer

from leadbook import __version__
from leadbook.cli import refdata, schema, scores, serving, settings, smtp, transfer, users
from leadbook.cli.workflow import workflow_app
from leadbook.webhooks.cli import webhooks_app
from leadbook.worker.command import worker

app = typer.Typer(help="Leadbook: lead management service.", no_args_is_help=True)


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"leadbook {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    context: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version"
    ),
) -> None:
    """Leadbook: lead management service."""
    settings.check(context)


app.command()(settings.settings)
app.command()(serving.serve)
app.command()(worker)
app.command()(smtp.smtp)
app.command()(schema.migrate)
app.command()(schema.backup)
app.command()(refdata.demo)
app.command("create-user")(users.create_user)
app.command("create-api-key")(users.create_api_key)
app.command("revoke-api-key")(users.revoke_api_key)

config_app = typer.Typer(help="Reference data as code.", no_args_is_help=True)
config_app.command("apply")(refdata.config_apply)
config_app.command("export")(refdata.config_export)
app.add_typer(config_app, name="config")

app.command("import")(transfer.import_leads)
app.command("export")(transfer.export_leads)
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(workflow_app, name="workflow")

scores_app = typer.Typer(help="Lead scores (docs/scoring.md).", no_args_is_help=True)
scores_app.command("recompute")(scores.recompute)
app.add_typer(scores_app, name="scores")
