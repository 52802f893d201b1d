"""CRM.COM helpers: reading answers (the fixtures token and api live in tests/conftest.py)."""

from __future__ import annotations

API = "/crmapi/rest/v2"
SEED_TOKEN = "6B6300203CBC420900E2B585934F682A"


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
