"""The ``leadbook`` command line."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Leadbook: lead management service.", no_args_is_help=True)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serves the API and web pages with uvicorn (h11, whose header limit is enforced);
    timeouts and limits from the settings (see docs/operations.md). Forwarded addresses
    (X-Forwarded-For) are believed only from LEADBOOK_TRUSTED_PROXIES; the access log never
    shows a token, password or key (``leadbook.accesslog``)."""
    import uvicorn

    from leadbook import accesslog
    from leadbook.config import get_settings

    settings = get_settings()
    uvicorn.run(
        "leadbook.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http="h11",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_keep_alive=settings.keep_alive_seconds,
        timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
        timeout_graceful_shutdown=10,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        log_config=accesslog.LOG_CONFIG,
    )


@app.command()
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
        _fail(exc)
    with transaction(_sessions()) as db:
        defaults.install(db)


def _sessions():
    from leadbook.config import get_settings
    from leadbook.db import make_engine, make_sessionmaker

    settings = get_settings()
    return make_sessionmaker(
        make_engine(settings.database_url, busy_timeout=settings.busy_timeout_seconds)
    )


def _fail(exc: Exception) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/red] {getattr(exc, 'message', exc)}")
    raise typer.Exit(1)


@app.command()
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
        with transaction(_sessions()) as db:
            added = demo_data.load(db, seed_tokens=seed_tokens)
    except DomainError as exc:
        _fail(exc)
    Console().print(
        f"Demo data ready: {added['leads']} lead(s) and {added['tokens']} token(s) added. "
        f"Log in as [bold]{demo_data.ADMIN}[/bold] / [bold]{demo_data.PASSWORD}[/bold]."
    )


@app.command("create-user")
def create_user(
    username: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    person_name: str = "",
    email: str = "",
    unit: str = typer.Option("", help="Name of the user's default unit"),
    role: str = typer.Option(
        "", help="ADMIN, MANAGER, SALES or READ_ONLY (docs/access.md); a new user is SALES"
    ),
    clearance: str = typer.Option("", help="Number of the highest privacy level the user sees"),
) -> None:
    """Creates a user who can log in (or resets the password of an existing one, and sets
    what else is given)."""
    from leadbook.db import transaction
    from leadbook.domain.errors import DomainError
    from leadbook.refdata import config

    row = {"username": username, "password": password}
    for key, value in (
        ("person_name", person_name),
        ("email", email),
        ("unit", unit),
        ("role", role),
        ("clearance", clearance),
    ):
        if value:
            row[key] = value
    try:
        with transaction(_sessions()) as db:
            outcome = config.apply(db, {"users": [row]})
    except DomainError as exc:
        _fail(exc)
    typer.echo(f"User {username} {'created' if outcome.created else 'updated'}.")


@app.command("create-api-key")
def create_api_key(
    username: str,
    unit: str = typer.Option("", help="Name of the unit its tokens act in (default: the user's)"),
    label: str = typer.Option("", help="What the key is for, e.g. the integration's name"),
) -> None:
    """Creates a web API key for USERNAME and prints it (once: only its hash is stored).

    An integration exchanges it for a token at ``authentication/web_api_key/token``."""
    from leadbook.auth import tokens
    from leadbook.db import transaction
    from leadbook.domain import identifiers
    from leadbook.domain.errors import DomainError

    try:
        with transaction(_sessions()) as db:
            user = identifiers.resolve(db, "user", {"username": username}, param="username")
            chosen = identifiers.resolve(db, "unit", {"name": unit}, param="unit") if unit else None
            key = tokens.issue_api_key(db, user, unit=chosen, label=label)
    except DomainError as exc:
        _fail(exc)
    typer.echo(key)


@app.command("revoke-api-key")
def revoke_api_key(key: str) -> None:
    """Makes a web API key unusable for any later login."""
    from leadbook.auth import tokens
    from leadbook.db import transaction
    from leadbook.domain.errors import DomainError

    try:
        with transaction(_sessions()) as db:
            tokens.revoke_api_key(db, key)
    except DomainError as exc:
        _fail(exc)
    typer.echo("Key revoked.")


config_app = typer.Typer(help="Reference data as code.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("apply")
def config_apply(
    path: typer.FileText,
    dry_run: bool = typer.Option(False, help="Report what would change, change nothing"),
) -> None:
    """Applies a YAML file of reference data: creates and updates, never deletes."""
    from rich.console import Console
    from rich.table import Table

    from leadbook.domain.errors import DomainError
    from leadbook.refdata import config

    db = _sessions()()
    try:
        outcome = config.apply(db, config.load_yaml(path.read()))
        db.rollback() if dry_run else db.commit()
    except DomainError as exc:
        db.rollback()
        _fail(exc)
    finally:
        db.close()
    table = Table(
        "section", "created", "updated", "unchanged", title="dry run" if dry_run else None
    )
    for section in config.SECTIONS:
        counts = [
            getattr(outcome, b).get(section.name, 0) for b in ("created", "updated", "unchanged")
        ]
        if any(counts):
            table.add_row(section.name, *map(str, counts))
    Console().print(table)


@config_app.command("export")
def config_export() -> None:
    """Prints every reference row as YAML that `config apply` accepts."""
    import yaml

    from leadbook.refdata import config

    with _sessions()() as db:
        typer.echo(yaml.safe_dump(config.export(db), sort_keys=False, allow_unicode=True))


@app.command("import")
def import_leads(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file of leads"),
    user: str = typer.Option("mpadministrator", help="Username the leads are created by"),
    dry_run: bool = typer.Option(False, help="Check every row, store nothing"),
    allow_duplicates: bool = typer.Option(False, help="Import rows that look like duplicates"),
    report: str = typer.Option(
        "", help="CSV file for the per-row problems (default: PATH.errors.csv)"
    ),
) -> None:
    """Imports leads from a CSV file (the columns `leadbook export` writes)."""
    import csv

    from rich.console import Console
    from rich.progress import Progress

    from leadbook.domain.errors import DomainError
    from leadbook.ops.transfer import importing

    # utf-8-sig: a byte order mark (Excel) is not part of the first column; a byte that is
    # not UTF-8 is kept as a lone surrogate, which refuses its row (domain.values.text)
    def records():
        return open(path, encoding="utf-8-sig", newline="", errors="surrogateescape")

    with records() as counting:  # a streamed first pass, for the progress bar's total
        total = sum(1 for _ in csv.reader(counting)) - 1
    report_path = report or f"{path}.errors.csv"
    with open(report_path, "w", newline="") as out, records() as source:
        writer = csv.writer(out)
        writer.writerow(["line", "column", "message"])
        importer = importing.Importer(
            _sessions(),
            user,
            dry_run=dry_run,
            allow_duplicates=allow_duplicates,
            report=lambda p: writer.writerow([p.line, p.column, p.message]),
        )
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Importing", total=max(total, 0))
            try:
                outcome = importer.run(csv.DictReader(source), lambda: progress.advance(task))
            except DomainError as exc:
                _fail(exc)
    console = Console()
    verb = "would be created (dry run)" if dry_run else "created"
    console.print(
        f"{outcome.created} lead(s) {verb}, {outcome.duplicates} duplicate(s) skipped, "
        f"{outcome.refused} row(s) refused."
    )
    for problem in outcome.problems[:10]:
        console.print(f"  line {problem.line} {problem.column}: {problem.message}")
    if outcome.duplicates or outcome.refused:
        console.print(f"Every problem is listed in {report_path}")
        raise typer.Exit(2)


@app.command("export")
def export_leads(
    format: str = typer.Option("csv", help="csv or json"),
    output: typer.FileTextWrite = typer.Option("-", help="File to write (default: stdout)"),
    user: str = typer.Option("mpadministrator", help="Username whose visible leads to write"),
) -> None:
    """Writes every lead USER may see as CSV or JSON, streamed."""
    from rich.console import Console
    from rich.progress import Progress

    from leadbook.domain import identifiers
    from leadbook.domain.actor import Actor
    from leadbook.domain.errors import DomainError
    from leadbook.ops.transfer import export

    if format not in ("csv", "json"):
        _fail(ValueError("--format must be csv or json"))
    write = export.write_csv if format == "csv" else export.write_json
    with _sessions()() as db:
        try:
            who = identifiers.resolve(db, "user", {"username": user}, param="--user")
        except DomainError as exc:
            _fail(exc)
        actor = Actor(user=who, unit=who.unit, via="export")
        total = export.count_leads(db, actor)
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Exporting", total=total)

            def rows():
                for row in export.export_rows(db, actor):
                    progress.advance(task)
                    yield row

            written = write(rows(), output)
    Console(stderr=True).print(f"{written} lead(s) exported.")
