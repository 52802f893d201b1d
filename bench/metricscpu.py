"""CPU a request's metrics cost, in one process: a ``/healthz`` through a FastAPI app of 200
routes, bare, with prometheus-fastapi-instrumentator's middleware, and with Leadbook's
``observe.httpmetrics.HttpMetrics`` (the same series), called as ASGI directly.

    python bench/metricscpu.py [--requests 3000] [--rounds 5]

Prints the least CPU µs a request of the rounds for each; the differences to "bare" are
what the metrics cost (README, Decisions).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator

from leadbook.observe.httpmetrics import HttpMetrics

SCOPE = {
    "type": "http",
    "method": "GET",
    "path": "/healthz",
    "raw_path": b"/healthz",
    "root_path": "",
    "query_string": b"",
    "headers": [(b"host", b"bench")],
    "client": ("127.0.0.1", 1),
    "server": ("bench", 80),
    "scheme": "http",
    "http_version": "1.1",
}


def build(kind: str) -> FastAPI:
    """An app of 200 parametrised routes and /healthz, with the metrics of ``kind``."""
    app = FastAPI()
    for i in range(200):
        app.get(f"/r{i}/{{x}}")(lambda x: None)

    @app.get("/healthz")
    async def healthz() -> dict[str, bool]:
        return {"ok": True}

    registry = CollectorRegistry()
    if kind == "instrumentator":
        Instrumentator(
            should_group_status_codes=False, excluded_handlers=["/metrics"], registry=registry
        ).instrument(app)
    elif kind == "httpmetrics":
        app.add_middleware(HttpMetrics, registry=registry, excluded="/metrics")
    return app


async def call(app: FastAPI, n: int) -> None:
    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: dict) -> None:
        pass

    for _ in range(n):
        await app({**SCOPE, "app": app}, receive, send)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    apps = {kind: build(kind) for kind in ("bare", "instrumentator", "httpmetrics")}
    for app in apps.values():
        await call(app, 200)  # warm-up
    spent: dict[str, list[float]] = {kind: [] for kind in apps}
    for _ in range(args.rounds):  # the variants take turns
        for kind, app in apps.items():
            began = time.process_time()
            await call(app, args.requests)
            spent[kind].append((time.process_time() - began) / args.requests * 1e6)
    bare = min(spent["bare"])
    for kind, times in spent.items():
        print(f"{kind:15} {min(times):7.1f} µs a request  (+{min(times) - bare:5.1f})")


if __name__ == "__main__":
    asyncio.run(main())
