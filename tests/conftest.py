"""Shared fixtures: a fresh database per run (SQLite file or throw-away PostgreSQL database),
emptied after every test, and an HTTP client talking to the real application.

``LEADBOOK_TEST_DB=postgres`` runs the suite against the local PostgreSQL server
(``LEADBOOK_TEST_PG_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from leadbook.app import create_app
from leadbook.config import Settings
from leadbook.db import make_engine, make_sessionmaker
from leadbook.models import Base
from leadbook.refdata import demo as demo_data

BACKEND = os.environ.get("LEADBOOK_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "LEADBOOK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _create_pg_database() -> tuple[str, str]:
    name = f"leadbook_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """The URL of this run's own empty database, with the schema created."""
    if BACKEND == "postgres":
        name, url = _create_pg_database()
    else:
        name, url = None, f"sqlite:///{tmp_path_factory.mktemp('db') / 'leadbook.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    if name:
        _drop_pg_database(name)


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return replace(Settings(), database_url=database_url)


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request) -> Iterator[None]:
    """Empties every table after each test that touched the database."""
    engine = request.getfixturevalue("engine") if "database_url" in request.fixturenames else None
    yield
    if engine is None:
        return
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def db(engine) -> Iterator[Session]:
    """A session for tests that call the domain directly; committed at the end."""
    session = make_sessionmaker(engine)()
    try:
        yield session
        session.commit()
    finally:
        session.close()


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def demo(db) -> None:
    """Loads the demo data set (all the seed examples need), as `leadbook demo` does."""
    demo_data.load(db)
    db.commit()


API = "/crmapi/rest/v2"


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
