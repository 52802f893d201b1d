"""Route matching gated by path: a request tries only the faces whose routes could match it.

FastAPI matches a request against the app's routes in order, descending into each included
router and trying each of its routes (~3 µs apiece: ~140 routes before ``/healthz``).
``gate`` gives each face's included router a test that every one of its routes needs
anyway (the path is one of its literal paths, or starts and ends with the literal text
around its parameters), so a request skips a face at the cost of a string comparison.
Matching is unchanged otherwise; routes are fixed once the app is made (``create_app``
gates them last).

FastAPI's included routers (``include_router``) are a private class: they are told by what
they offer (``effective_candidates``), not imported, so an upgrade that changes them leaves
the routes ungated (``tests/test_dispatch.py`` then fails), never the app unable to start.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import Scope

NONE: tuple[Match, Scope] = (Match.NONE, {})


def gate(app: FastAPI) -> None:
    """Gives each router ``app`` includes its path test (when all its routes allow one)."""
    for route in app.router.routes:
        if included(route):
            test = _test(list(_paths(route)))
            if test is not None:
                route.matches = _gated(route.matches, test)  # type: ignore[method-assign,assignment]


def included(route: BaseRoute) -> bool:
    """Whether ``route`` is a router the app includes (FastAPI's ``include_router``)."""
    return callable(getattr(route, "effective_candidates", None))


def route_path(scope: Scope) -> str:
    """The request's path below the app's root path, as Starlette's routes match it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if not root or not path.startswith(root):
        return path
    if path == root:
        return ""
    return path[len(root) :] if path[len(root)] == "/" else path


def _gated(
    matches: Callable[[Scope], tuple[Match, Scope]], test: Callable[[str], bool]
) -> Callable[[Scope], tuple[Match, Scope]]:
    def gated(scope: Scope) -> tuple[Match, Scope]:
        return matches(scope) if test(route_path(scope)) else NONE

    return gated


def _paths(router: Any) -> Iterator[tuple[str, bool] | None]:
    """Yields each route's path and whether it matches by prefix (a mount); None for a
    route whose paths cannot be told in advance."""
    for candidate in router.effective_candidates():
        if included(candidate):
            yield from _paths(candidate)
            continue
        route = candidate.starlette_route or candidate.original_route
        if isinstance(candidate.original_route, APIRoute):
            yield candidate.path, False
        elif isinstance(route, Mount):
            yield route.path, True
        elif isinstance(route, Route):
            yield route.path, False
        else:
            yield None


def _test(paths: list[tuple[str, bool] | None]) -> Callable[[str], bool] | None:
    """Returns the test a path passes when one of ``paths`` may match it."""
    if not paths or None in paths:
        return None
    exact = {p for p, prefix in paths if "{" not in p and not prefix}  # type: ignore[misc]
    patterned = [(p, prefix) for p, prefix in paths if "{" in p or prefix]  # type: ignore[misc]
    heads = [p.partition("{")[0] for p, _ in patterned]
    tails = ["" if prefix else p.rpartition("}")[2] for p, prefix in patterned]
    head = os.path.commonprefix(heads) if heads else None
    tail = os.path.commonprefix([t[::-1] for t in tails])[::-1] if tails else ""

    def test(path: str) -> bool:
        if path in exact:
            return True
        return head is not None and path.startswith(head) and path.endswith(tail)

    return test
