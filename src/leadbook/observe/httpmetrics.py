"""The requests' metrics: the series prometheus-fastapi-instrumentator's default
instrumentation writes (same names, help, labels and buckets), written by one plain ASGI
middleware that keeps each label set's children and each address's route template.

The instrumentator's own middleware builds a Request, a Response and an Info and looks up
four label sets on every request; this one does the same counting with none of them:

- ``http_requests_total`` (method, status, handler), ``http_request_size_bytes`` and
  ``http_response_size_bytes`` (handler: the Content-Length headers, 0 without a whole one),
  ``http_request_duration_highr_seconds`` and ``http_request_duration_seconds`` (method,
  handler), the time until the answer's last byte is handed on;
- the handler is the route template (the instrumentator's ``get_route_name``), ``none``
  for an address no route matches; ``/metrics`` itself is not counted; a request whose
  answer never started counts as status 500.
"""

from __future__ import annotations

import re
from time import perf_counter
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, Summary
from prometheus_fastapi_instrumentator.routing import get_route_name
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadbook.faces import content_length

HANDLERS_KEPT = 4096  # addresses whose route template a worker remembers
HIGHR = (0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 7.5)
HIGHR_BUCKETS = (*HIGHR, 10, 30, 60, float("inf"))
SIZE_HELP = (
    "Content length of {} by handler. Only value of header is respected. Otherwise ignored. "
    "No percentile calculated. "
)


class _Series:
    """The metrics of one registry, and the children of each label set met so far."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.total = Counter(
            "http_requests_total",
            "Total number of requests by method, status and handler.",
            ("method", "status", "handler"),
            registry=registry,
        )
        self.size_in = Summary(
            "http_request_size_bytes",
            SIZE_HELP.format("incoming requests"),
            ("handler",),
            registry=registry,
        )
        self.size_out = Summary(
            "http_response_size_bytes",
            SIZE_HELP.format("outgoing responses"),
            ("handler",),
            registry=registry,
        )
        self.highr = Histogram(
            "http_request_duration_highr_seconds",
            "Latency with many buckets but no API specific labels. "
            "Made for more accurate percentile calculations. ",
            buckets=HIGHR_BUCKETS,
            registry=registry,
        )
        self.lowr = Histogram(
            "http_request_duration_seconds",
            "Latency with only few buckets by handler. "
            "Made to be only used if aggregation by handler is important. ",
            ("method", "handler"),
            buckets=(0.1, 0.5, 1, float("inf")),
            registry=registry,
        )
        self._children: dict[tuple[str, str, str], tuple[Any, Any, Any, Any]] = {}

    def count(self, method: str, status: str, handler: str, sizes: tuple[int, int]) -> Any:
        """Counts a request; returns its latency histogram's child."""
        key = (method, status, handler)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                self.total.labels(method, status, handler),
                self.size_in.labels(handler),
                self.size_out.labels(handler),
                self.lowr.labels(method, handler),
            )
        total, size_in, size_out, lowr = children
        total.inc()
        size_in.observe(sizes[0])
        size_out.observe(sizes[1])
        return lowr


class HttpMetrics:
    """ASGI middleware counting every HTTP request but those of the ``excluded`` pattern."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry, excluded: str) -> None:
        self.app = app
        self.series = _Series(registry)
        self.excluded = re.compile(excluded)
        self._handlers: dict[tuple[str, str, str], tuple[str, bool]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        handler, templated = self._handler(scope)
        if self.excluded.search(handler):
            await self.app(scope, receive, send)
            return
        status, sent_length = 500, 0

        async def sending(message: Message) -> None:
            nonlocal status, sent_length
            if message["type"] == "http.response.start":
                status = message["status"]
                sent_length = content_length(message.get("headers", ())) or 0
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            duration = max(perf_counter() - started, 0.0)
            sizes = (content_length(scope["headers"]) or 0, sent_length)
            lowr = self.series.count(
                scope["method"], str(int(status)), handler if templated else "none", sizes
            )
            self.series.highr.observe(duration)
            lowr.observe(duration)

    def _handler(self, scope: Scope) -> tuple[str, bool]:
        """The route template of the request's address (else its path), and whether it is
        one: matched against every route once per method and address, then remembered."""
        key = (scope["method"], scope.get("root_path", ""), scope["path"])
        found = self._handlers.get(key)
        if found is None:
            name = get_route_name(HTTPConnection(scope), should_include_root_path=False)
            found = (name, True) if name else (HTTPConnection(scope).url.path, False)
            if len(self._handlers) < HANDLERS_KEPT:
                self._handlers[key] = found
        return found
