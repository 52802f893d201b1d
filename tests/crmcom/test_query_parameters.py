"""The query parameters each CRM.COM GET method declares are exactly the ones it takes."""

from __future__ import annotations

from tests.crmcom.conftest import API, refused

PREFIX = "/crmapi/rest/{version}"


def _get_methods(client) -> dict[str, list[str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return {
        path.removeprefix(PREFIX): [
            p["name"] for p in op["get"]["parameters"] if p["in"] == "query"
        ]
        for path, op in paths.items()
        if path.startswith(PREFIX) and "get" in op
    }


def test_every_declared_parameter_is_taken(client, token):
    methods = _get_methods(client)
    assert len(methods) == 9
    for path, names in methods.items():
        query = {name: "1" for name in names} | {"token": token}
        body = client.get(API + path, params=query).json()
        assert "Unknown parameter" not in (body["status"]["message"] or ""), (path, body)


def test_an_undeclared_parameter_is_refused(client, token):
    for path in _get_methods(client):
        response = client.get(API + path, params={"token": token, "colour": "red"})
        assert refused(response, "INVALID_VALUE", 422) == "Unknown parameter(s): colour"
