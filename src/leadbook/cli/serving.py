"""leadbook serve: the application under uvicorn."""

from __future__ import annotations

import os

import typer

from leadbook.cli.common import ready


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    root_path: str = typer.Option(None, help="Path prefix behind a proxy [LEADBOOK_ROOT_PATH]"),
    trusted_proxies: str = typer.Option(
        None, help="Proxies whose X-Forwarded-* are believed [LEADBOOK_TRUSTED_PROXIES]"
    ),
    log_level: str = typer.Option(None, help="DEBUG, INFO, WARNING… [LEADBOOK_LOG_LEVEL]"),
    graceful_shutdown_seconds: int = typer.Option(
        None, help="Time open requests get at shutdown [LEADBOOK_GRACEFUL_SHUTDOWN_SECONDS]"
    ),
) -> None:
    """Serves the API and web pages with uvicorn (h11, whose header limit is enforced);
    timeouts and limits from the settings (see docs/operations.md), which the options
    override. Forwarded addresses (X-Forwarded-For) are believed only from the trusted
    proxies; logs are structured, one line per request, never showing a credential.
    Refuses to start on a database whose schema is missing or not at head (``leadbook
    migrate`` mends it)."""
    import uvicorn

    from leadbook.config import get_settings
    from leadbook.db import pool_share
    from leadbook.observe import logs, metrics
    from leadbook.worker.loop import start_in_process

    given = {
        "root_path": root_path,
        "trusted_proxies": trusted_proxies,
        "log_level": log_level,
        "graceful_shutdown_seconds": graceful_shutdown_seconds,
    }
    settings = ready(given, "not serving")
    # the workers (this process too, with one) read their pool size from the environment
    share = pool_share(settings.db_pool_size, settings.db_max_connections, workers)
    os.environ["LEADBOOK_DB_POOL_SIZE"] = str(share)
    get_settings.cache_clear()
    start_in_process(settings)  # on SQLite by default: docs/events.md
    with metrics.shared_by(workers):
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
            timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
            root_path=settings.root_path,
            proxy_headers=bool(settings.trusted_proxies),
            forwarded_allow_ips=settings.trusted_proxies or None,
            log_config=logs.config(settings.log_level, settings.log_format),
            access_log=False,
        )
