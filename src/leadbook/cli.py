"""The ``leadbook`` command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="Leadbook: lead management service.", no_args_is_help=True)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serves the API and web pages with uvicorn."""
    import uvicorn

    uvicorn.run("leadbook.app:create_app", factory=True, host=host, port=port, workers=workers)


@app.command()
def migrate() -> None:
    """Brings the configured database schema up to date."""
    from leadbook import migrate as migrations
    from leadbook.config import get_settings

    migrations.upgrade(get_settings().database_url)
