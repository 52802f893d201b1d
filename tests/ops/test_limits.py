"""The limits middleware: body cap on every route and per-client rate limit, each refusal in
the format of the face owning the path; the audit trail API's access rules."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from leadbook.app import create_app
from leadbook.limits import client_key
from tests.crmcom.conftest import SEED_TOKEN, ok, refused
from tests.crmcom.test_create import BASE as CREATE

XML_ERRORS = b'<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n  <error>'
BEARER = {"Authorization": f"Bearer {SEED_TOKEN}"}


@pytest.fixture
def limited_client(settings, demo):
    """A client of an app allowing 3 requests a minute per client and 2 KiB bodies."""
    app = create_app(
        settings.model_copy(update={"rate_limit_per_minute": 3, "max_body_bytes": 2048})
    )
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.engine.dispose()


def _chunks(size: int):
    """A body sent without Content-Length (chunked), in 512-byte pieces."""
    for _ in range(size // 512):
        yield b"x" * 512


def test_a_declared_body_over_the_cap_is_refused_in_each_faces_format(limited_client):
    big = b"{" + b" " * 4096 + b"}"
    crm = limited_client.post("/crmapi/rest/v2/leads/create", content=big)
    refused(crm, "REQUEST_TOO_LARGE", 413)
    xml = limited_client.post("/leads.xml", content=big)
    assert xml.status_code == 413 and xml.content.startswith(XML_ERRORS)
    assert b"larger than 2048 bytes</error>\n</errors>" in xml.content
    admin = limited_client.put("/api/admin/countries", content=big, headers=BEARER)
    assert admin.status_code == 413
    message = "The request body is larger than 2048 bytes"
    assert admin.json() == {"error": {"code": "REQUEST_TOO_LARGE", "message": message}}


def test_a_chunked_body_over_the_cap_is_refused_before_the_route_reads_it(limited_client):
    answer = limited_client.put("/api/admin/countries", content=_chunks(8192), headers=BEARER)
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "REQUEST_TOO_LARGE"


def test_a_chunked_body_under_the_cap_reaches_the_route(limited_client):
    """A valid create sent chunked is read whole by the route: the lead it made exists."""
    body = {"token": SEED_TOKEN, **CREATE, "description": "Sent in chunks"}
    encoded = json.dumps(body).encode()
    assert len(encoded) < 2048
    pieces = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    url = "/crmapi/rest/v2/leads"
    answer = limited_client.post(f"{url}/create", content=iter(pieces))
    assert "content-length" not in answer.request.headers
    number = ok(answer)["number"]
    params = {"token": SEED_TOKEN, "lead_identifier": f"number={number}"}
    shown = ok(limited_client.get(f"{url}/show", params=params))
    assert shown["description"] == "Sent in chunks"


def test_a_client_over_its_rate_is_refused_in_its_faces_format(limited_client):
    url = "/crmapi/rest/v2/leads/show"
    params = {"token": SEED_TOKEN, "lead_identifier": "number=19"}
    for _ in range(3):
        assert limited_client.get(url, params=params).status_code == 200
    crm = limited_client.get(url, params=params)
    refused(crm, "TOO_MANY_REQUESTS", 429)
    assert int(crm.headers["Retry-After"]) >= 1
    xml = limited_client.get("/leads/19.xml", headers=BEARER)
    assert xml.status_code == 429 and xml.content.startswith(XML_ERRORS)
    admin = limited_client.get("/api/admin", headers=BEARER)
    assert admin.status_code == 429 and admin.json()["error"]["code"] == "TOO_MANY_REQUESTS"


def test_password_guesses_without_a_token_are_limited_too(limited_client):
    guess = {"username": "mpadministrator", "password": "wrong", "organisation": "LEADBOOK"}
    url = "/crmapi/rest/v2/authentication/token"
    codes = [limited_client.post(url, json=guess).status_code for _ in range(4)]
    assert codes[-1] == 429 and 429 not in codes[:3]
    basic = "Basic " + base64.b64encode(b"mpadministrator:wrong").decode()
    codes = [
        limited_client.get("/leads.xml", headers={"Authorization": basic}).status_code
        for _ in range(4)
    ]
    assert codes[-1] == 429 and 429 not in codes[:3]


def test_clients_are_told_apart_by_token_basic_user_cookie_or_address():
    def scope(headers=(), query=b"", client=("10.0.0.1", 1)):
        return {"headers": list(headers), "query_string": query, "client": client}

    bearer = client_key(scope([(b"authorization", b"Bearer abc")]))
    assert bearer == client_key(scope(query=b"token=abc"))
    assert bearer == client_key(scope([(b"cookie", b"x=1; leadbook_session=abc")]))
    assert bearer != client_key(scope([(b"authorization", b"Bearer abd")]))
    basic = base64.b64encode(b"maria:secret")
    assert client_key(scope([(b"authorization", b"Basic " + basic)])).startswith("basic:")
    assert client_key(scope()) == "address:10.0.0.1"
    assert client_key(scope(client=("10.0.0.2", 1))) != client_key(scope())


def test_the_audit_trail_is_for_administrators_only(client, api, db):
    from sqlalchemy import select

    from leadbook.auth import tokens
    from leadbook.models import Role, User

    assert client.get("/api/admin/leads/40/events").status_code == 401
    bad = client.get("/api/admin/leads/40/events", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    user = db.scalar(select(User).where(User.role != Role.ADMIN).limit(1))
    assert user is not None
    token = tokens.issue(db, user, ttl_seconds=None)
    db.commit()
    denied = client.get("/api/admin/leads/40/events", headers={"Authorization": f"Bearer {token}"})
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "PERMISSION_DENIED"


def test_static_files_and_health_checks_are_not_counted(limited_client):
    for _ in range(5):
        assert limited_client.get("/healthz").status_code == 200
        assert limited_client.get("/web/static/leadbook.css").status_code == 200
    assert limited_client.get("/api/admin", headers=BEARER).status_code == 200


@pytest.fixture
def unreachable_store(settings, demo):
    """Opens clients of apps whose shared counters are a Redis nobody listens to."""
    apps = []

    def open_client(**changes) -> TestClient:
        app = create_app(
            settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0", **changes})
        )
        apps.append(app)
        return TestClient(app)

    yield open_client
    for app in apps:
        app.state.engine.dispose()


def test_an_unreachable_counter_store_is_a_503_with_retry_after_in_each_faces_format(
    unreachable_store,
):
    with unreachable_store(rate_limit_per_minute=100) as client:
        api = client.get(
            "/crmapi/rest/v2/leads/show",
            params={"token": SEED_TOKEN, "lead_identifier": "number=19"},
        )
        xml = client.get("/leads.xml", headers=BEARER)
    assert api.status_code == 503 and int(api.headers["retry-after"]) >= 1
    assert refused(api, "SERVICE_UNAVAILABLE")
    assert xml.status_code == 503 and xml.content.startswith(XML_ERRORS)


def test_a_login_while_the_counter_store_is_unreachable_is_a_503(unreachable_store):
    with unreachable_store() as client:
        answer = client.post(
            "/crmapi/rest/v2/authentication/token",
            json={"username": "mpadministrator", "password": "wrong", "organisation": "LEADBOOK"},
        )
    assert answer.status_code == 503 and int(answer.headers["retry-after"]) >= 1
    assert refused(answer, "SERVICE_UNAVAILABLE")


def test_a_live_token_works_while_the_counter_store_is_unreachable(unreachable_store):
    with unreachable_store() as client:
        answer = client.get(
            "/crmapi/rest/v2/leads/show",
            params={"token": SEED_TOKEN, "lead_identifier": "number=19", "fields_set": "number"},
        )
    assert ok(answer) == {"number": "19"}
