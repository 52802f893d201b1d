"""/healthz says the process answers; /readyz says it can serve (the database answers, its
schema is at head, every registered check passes); a database that lost its schema is a
503 in each face's format, never a 500."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from leadbook import migrate
from leadbook.app import create_app
from leadbook.config import Settings
from leadbook.db import make_engine
from leadbook.models import Base
from tests.conftest import API


@pytest.fixture
def empty_url(_new_database) -> str:
    """A database that exists and holds no table at all."""
    url = _new_database("empty")
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def client_on():
    """A client of an app serving the database at the URL given."""
    apps = []

    def make(url: str) -> TestClient:
        app = create_app(Settings(database_url=url))
        apps.append(app)
        return TestClient(app)

    yield make
    for app in apps:
        app.state.engine.dispose()


def test_ready_when_the_database_answers_at_head(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "checks": {"database": "ok", "schema": "ok"}}
    assert client.get("/healthz").json() == {"status": "ok"}


def test_not_ready_on_a_database_without_the_schema_but_alive(empty_url, client_on):
    client = client_on(empty_url)
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    checks = answer.json()["checks"]
    assert checks["database"] == "ok"
    assert "no Leadbook schema" in checks["schema"] and "leadbook migrate" in checks["schema"]
    assert client.get("/healthz").status_code == 200


def test_not_ready_on_a_schema_behind_head(empty_url, client_on):
    migrate.upgrade(empty_url, "0005")
    answer = client_on(empty_url).get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["schema"] == (
        f"the database schema is at 0005, this version needs {migrate.head()}: "
        "run `leadbook migrate`"
    )
    migrate.upgrade(empty_url)
    assert client_on(empty_url).get("/readyz").status_code == 200


def test_a_registered_check_decides_too(client, app):
    app.state.readiness_checks = {
        **app.state.readiness_checks,
        "worker": lambda conn: "no heartbeat for 90 s",
    }
    try:
        answer = client.get("/readyz")
    finally:
        app.state.readiness_checks = {
            k: v for k, v in app.state.readiness_checks.items() if k != "worker"
        }
    assert answer.status_code == 503
    assert answer.json()["checks"] == {
        "database": "ok",
        "schema": "ok",
        "worker": "no heartbeat for 90 s",
    }


def test_a_database_that_lost_its_schema_is_a_503_in_each_faces_format(empty_url, client_on):
    client = client_on(empty_url)
    login = client.post(
        f"{API}/authentication/token",
        json={"username": "mpadministrator", "password": "x", "organisation": "LEADBOOK"},
    )
    assert login.status_code == 503 and login.headers["Retry-After"] == "1"
    assert login.json()["status"]["code"] == "SERVICE_UNAVAILABLE"
    assert login.json()["data"] is None
    basic = base64.b64encode(b"mpadministrator:x").decode()
    xml = client.get("/leads.xml", headers={"Authorization": f"Basic {basic}"})
    assert xml.status_code == 503 and xml.text.lstrip().startswith("<?xml")
    assert "<errors>" in xml.text
    admin = client.get("/api/admin/users", headers={"Authorization": "Bearer nope"})
    assert admin.status_code == 503
    assert admin.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
