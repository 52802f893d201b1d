"""``leadbook worker``: delivers webhooks and runs the scheduled jobs until stopped."""

from __future__ import annotations

import logging
import signal
import threading


def worker() -> None:
    """Delivers webhooks and runs the scheduled jobs (due-date events, token purge) until
    SIGTERM or Ctrl-C. Run as many as wanted on PostgreSQL; they share the work."""
    from leadbook.config import get_settings
    from leadbook.worker.loop import Worker, sessions_for

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per delivery
    settings = get_settings()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    Worker(sessions_for(settings), settings).run(stop)
