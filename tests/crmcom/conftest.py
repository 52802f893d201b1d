"""CRM.COM fixtures: the demo data loaded, a logged-in token, and an API caller."""

from __future__ import annotations

import pytest

API = "/crmapi/rest/v2"
SEED_TOKEN = "6B6300203CBC420900E2B585934F682A"


@pytest.fixture
def token(client, demo) -> str:
    """A token from a real login as the demo administrator."""
    answer = client.post(
        f"{API}/authentication/token",
        json={
            "username": "mpadministrator",
            "password": "leadbook-demo",
            "organisation": "LEADBOOK",
        },
    ).json()
    assert answer["status"]["code"] == "OK", answer
    return answer["data"]["token"]


class Api:
    """Calls CRM.COM methods the way the seeds do: GET with a query, POST with a body."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def get(self, method: str, **params):
        params.setdefault("token", self.token)
        return self.client.get(f"{API}/leads/{method}", params=params)

    def post(self, method: str, body: dict | None = None, **fields):
        payload = {"token": self.token, **(body or {}), **fields}
        return self.client.post(f"{API}/leads/{method}", json=payload)


@pytest.fixture
def api(client, token) -> Api:
    return Api(client, token)


def ok(response) -> dict | list:
    """Returns the data of a successful answer, failing with the answer otherwise."""
    body = response.json()
    assert response.status_code == 200 and body["status"]["code"] == "OK", body
    return body["data"]


def refused(response, code: str, http_status: int | None = None) -> str:
    """Asserts a refusal with ``code`` in the envelope; returns its message."""
    body = response.json()
    assert body["data"] is None and body["status"]["code"] == code, body
    if http_status is not None:
        assert response.status_code == http_status
    assert body["status"]["message"]
    return body["status"]["message"]
