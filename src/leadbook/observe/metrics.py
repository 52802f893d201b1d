"""Prometheus metrics at ``/metrics``: requests by route template, method and status, their
latency histograms (``httpmetrics``: prometheus-fastapi-instrumentator's series), and the
database pool's use.

Under ``serve --workers N`` every worker writes its samples to ``PROMETHEUS_MULTIPROC_DIR``
(``leadbook serve`` makes one), and whichever worker answers a scrape adds them all up:
counters and histograms summed, the pool gauges summed over the live workers.

Other parts add gauges read when scraped (a queue's depth, a lag) with ``gauge_at_scrape``:
values the database or Redis hold, which any worker reads alike.
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Engine, event

from leadbook.observe.httpmetrics import HttpMetrics

PATH = "/metrics"
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
Reader = Callable[[FastAPI], float]
_at_scrape: dict[str, tuple[str, Reader]] = {}


def gauge_at_scrape(name: str, documentation: str, read: Reader) -> None:
    """Adds gauge ``name`` to every scrape, its value ``read(app)`` at that moment."""
    _at_scrape[name] = (documentation, read)


class _AtScrape:
    """The gauges of ``gauge_at_scrape``, read for one app."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, (documentation, read) in sorted(_at_scrape.items()):
            yield GaugeMetricFamily(name, documentation, value=read(self.app))


def _watch_pool(engine: Engine, registry: CollectorRegistry) -> None:
    """Keeps gauges of ``engine``'s pool: its size, connections open and checked out."""
    gauges = {
        name: Gauge(name, text, registry=registry, multiprocess_mode="livesum")
        for name, text in (
            ("leadbook_db_pool_size", "Connections the pool may hold"),
            ("leadbook_db_pool_connections", "Connections the pool holds open"),
            ("leadbook_db_pool_checked_out", "Connections in use by a request"),
        )
    }
    size = getattr(engine.pool, "size", None)
    gauges["leadbook_db_pool_size"].set(size() if callable(size) else 1)
    moves = {
        "connect": ("leadbook_db_pool_connections", 1),
        "close": ("leadbook_db_pool_connections", -1),
        "checkout": ("leadbook_db_pool_checked_out", 1),
        "checkin": ("leadbook_db_pool_checked_out", -1),
    }
    for name, (gauge, step) in moves.items():
        event.listen(engine, name, lambda *_, g=gauges[gauge], s=step: g.inc(s))


def _allowed(request: Request, networks: list[Any]) -> bool:
    if not networks:
        return True
    client = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in network for network in networks)


def install(app: FastAPI, engine: Engine, allowed_from: str) -> None:
    """Instruments ``app`` and serves ``/metrics`` to the networks of ``allowed_from``
    (comma separated; empty or ``*``: anyone)."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    app.add_middleware(HttpMetrics, registry=registry, excluded=PATH)
    _watch_pool(engine, registry)
    named = [n.strip() for n in allowed_from.split(",") if n.strip()]
    networks = [] if "*" in named else [ipaddress.ip_network(n, strict=False) for n in named]

    @app.get(PATH, include_in_schema=False)
    def metrics(request: Request) -> Response:
        if not _allowed(request, networks):
            return Response("Forbidden\n", status_code=403, media_type="text/plain")
        scraped = CollectorRegistry()
        if MULTIPROCESS in os.environ:
            multiprocess.MultiProcessCollector(scraped)
        else:
            scraped.register(registry)
        scraped.register(_AtScrape(app))
        return Response(generate_latest(scraped), media_type=CONTENT_TYPE_LATEST)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Drops this worker's live gauges from the shared directory when it stops."""
    yield
    if MULTIPROCESS in os.environ:
        multiprocess.mark_process_dead(os.getpid())


@contextmanager
def shared_by(workers: int) -> Iterator[None]:
    """Gives the worker processes of one server a directory for their samples when there
    are several: ``PROMETHEUS_MULTIPROC_DIR`` when the operator set it (emptied first: samples
    of an earlier run would count), else a temporary one, removed when the server stops."""
    if workers < 2:
        yield
        return
    given = os.environ.get(MULTIPROCESS)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        yield
        return
    with tempfile.TemporaryDirectory(prefix="leadbook-metrics-") as folder:
        os.environ[MULTIPROCESS] = folder
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS]
