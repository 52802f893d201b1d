"""Gated route matching (``leadbook.dispatch``) picks the very route FastAPI's own matching
picks, for every route of the app and for paths none has."""

from __future__ import annotations

import re

from starlette.routing import Match, Route

from leadbook.dispatch import _paths, included, route_path

OTHERS = [
    "/",
    "/nothing",
    "/healthz/",
    "/crmapi/rest/v2/leads/nope",
    "/crmapi/rest/v2/leads/show/",
    "/leads/12",
    "/leads/12.json",
    "/web",
    "/web/leads/12/cell",
    "/api/leads/x/y/z",
    "/a/b/c.xml",
]


def _scope(path: str, method: str) -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _first(routes, scope: dict, *, gated: bool) -> tuple[int, Match] | None:
    """The index of the first route matching ``scope`` fully (else partly), and how."""
    partial = None
    for i, route in enumerate(routes):
        match, _ = route.matches(scope) if gated else type(route).matches(route, scope)
        if match == Match.FULL:
            return i, match
        if match == Match.PARTIAL and partial is None:
            partial = (i, match)
    return partial


def _samples(app) -> list[str]:
    """A concrete path for every route the app includes, beside paths none has."""
    paths = list(OTHERS)
    for route in app.router.routes:
        if included(route):
            for found in _paths(route):
                assert found is not None
                path, _ = found
                paths.append(re.sub(r"\{[^}:]+:path\}", "a/b", path))
                paths[-1] = re.sub(r"\{[^}]+\}", "7", paths[-1])
    return paths


def test_every_path_matches_the_route_fastapi_would_pick(app):
    routes = app.router.routes
    gated = [r for r in routes if included(r) and "matches" in vars(r)]
    assert len(gated) >= 10  # the faces (the readiness router too)
    samples = _samples(app)
    assert len(samples) > 130
    for path in samples:
        for method in ("GET", "POST"):
            scope = _scope(path, method)
            assert _first(routes, scope, gated=True) == _first(routes, scope, gated=False), (
                method,
                path,
            )


def test_a_request_tries_only_the_faces_its_path_can_match(app):
    crmcom = next(r for r in app.router.routes if "matches" in vars(r))
    assert crmcom.matches(_scope("/healthz", "GET")) == (Match.NONE, {})
    show = _scope("/crmapi/rest/v2/leads/show", "GET")
    assert crmcom.matches(show)[0] == Match.FULL


def test_the_apps_paths_answer_through_the_gates(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/nothing").status_code == 404
    missing = client.get("/crmapi/rest/v2/leads/nope")
    assert missing.status_code == 404 and missing.json()["status"]["code"]


def test_the_path_tested_is_the_path_below_the_root_path():
    def below(path: str, root: str) -> str:
        return route_path({"path": path, "root_path": root})

    assert below("/healthz", "") == "/healthz"
    assert below("/crm/healthz", "/crm") == "/healthz"
    assert below("/crm", "/crm") == ""
    assert below("/crmapi/rest", "/crm") == "/crmapi/rest"  # not below /crm
    assert below("/other", "/crm") == "/other"


def test_a_router_the_app_includes_is_told_from_a_route():
    assert not included(Route("/x", lambda request: None))
