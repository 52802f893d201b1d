"""leadbook import and leadbook export: leads as CSV or JSON files."""

from __future__ import annotations

from pathlib import Path

import typer

from leadbook.cli.common import fail, sessions


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
            sessions(),
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
                fail(exc)
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
        fail(ValueError("--format must be csv or json"))
    write = export.write_csv if format == "csv" else export.write_json
    with sessions()() as db:
        try:
            who = identifiers.resolve(db, "user", {"username": user}, param="--user")
        except DomainError as exc:
            fail(exc)
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
