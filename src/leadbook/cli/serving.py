"""leadbook serve: the application under uvicorn."""

from __future__ import annotations

import os

from leadbook.cli.common import fail


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serves the API and web pages with uvicorn (h11, whose header limit is enforced);
    timeouts and limits from the settings (see docs/operations.md). Forwarded addresses
    (X-Forwarded-For) are believed only from LEADBOOK_TRUSTED_PROXIES; the access log never
    shows a token, password or key (``leadbook.accesslog``). Refuses to start on a
    database whose schema is missing or not at head (``leadbook migrate`` mends it)."""
    import uvicorn

    from leadbook import accesslog, migrate
    from leadbook.config import get_settings
    from leadbook.db import pool_share

    settings = get_settings()
    problem = migrate.problem(settings.database_url)
    if problem:
        fail(ValueError(f"not serving: {problem}"))
    # the workers (this process too, with one) read their pool size from the environment
    share = pool_share(settings.db_pool_size, settings.db_max_connections, workers)
    os.environ["LEADBOOK_DB_POOL_SIZE"] = str(share)
    get_settings.cache_clear()
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
