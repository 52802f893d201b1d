"""``/api/views``: saved views of the lead list over HTTP, refusals in the JSON style, and
documented in OpenAPI."""

from __future__ import annotations

import pytest

from leadbook import models as m
from leadbook.auth import tokens

URL = "/api/views"


@pytest.fixture
def bearer(db):
    """Returns the Authorization header of a new user of ``role``."""
    issued = {}
    for role in (m.Role.MANAGER, m.Role.SALES):
        user = m.User(username=f"api_{role.lower()}", role=role)
        db.add(user)
        db.flush()
        issued[role] = tokens.issue(db, user, ttl_seconds=None)
    db.commit()
    return lambda role: {"Authorization": f"Bearer {issued[role]}"}


def test_save_list_and_delete(client, bearer):
    sales = bearer(m.Role.SALES)
    saved = client.post(
        URL, json={"name": "Hot", "query": "sort=priority&state=PENDING"}, headers=sales
    )
    assert saved.status_code == 201
    body = saved.json()
    assert body["query"] == "state=PENDING&sort=priority" and body["mine"] and not body["shared"]
    assert [v["name"] for v in client.get(URL, headers=sales).json()] == ["Hot"]
    assert client.delete(f"{URL}/{body['id']}", headers=sales).status_code == 204
    assert client.get(URL, headers=sales).json() == []


def test_shared_views_are_listed_to_others_who_cannot_delete_them(client, bearer):
    boss, sales = bearer(m.Role.MANAGER), bearer(m.Role.SALES)
    view = client.post(URL, json={"name": "Team", "query": "", "shared": True}, headers=boss)
    assert view.status_code == 201
    listed = client.get(URL, headers=sales).json()
    assert [(v["name"], v["owner"], v["mine"]) for v in listed] == [("Team", "api_manager", False)]
    refused = client.delete(f"{URL}/{view.json()['id']}", headers=sales)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "PERMISSION_DENIED"
    sharing = client.post(URL, json={"name": "Mine", "shared": True}, headers=sales)
    assert sharing.status_code == 403 and sharing.json()["error"]["field"] == "shared"
    assert client.get(URL, headers=sales).json() == listed


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"name": "X", "query": "colour=red"}, 422, "query"),
        ({"name": "", "query": ""}, 422, "name"),
        ({"name": "X", "colour": "red"}, 422, "colour"),
        ({"query": "state=WON"}, 422, "name"),
        ({"name": "Taken"}, 409, "name"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field_and_stores_nothing(
    client, bearer, body, status, field
):
    sales = bearer(m.Role.SALES)
    assert client.post(URL, json={"name": "Taken"}, headers=sales).status_code == 201
    refused = client.post(URL, json=body, headers=sales)
    assert refused.status_code == status
    assert refused.json()["error"]["field"] == field
    assert [v["name"] for v in client.get(URL, headers=sales).json()] == ["Taken"]


def test_unknown_view_is_404_and_no_token_is_401(client, bearer):
    assert client.delete(f"{URL}/NOPE", headers=bearer(m.Role.SALES)).status_code == 404
    assert client.get(URL).status_code == 401


@pytest.mark.once
def test_documented_in_openapi(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths[URL]) == {"get", "post"} and set(paths[f"{URL}/{{view_id}}"]) == {"delete"}
    post = paths[URL]["post"]
    assert "4XX" in post["responses"] and "201" in post["responses"]
    assert {"bearer": []} in post["security"] and {"apikey": []} in post["security"]
