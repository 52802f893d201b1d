"""PostgreSQL refusing a new connection (its limit reached) is a 503 with Retry-After in
each face's format, and the requests after it are served once a connection is free."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from leadbook.db import make_engine, make_sessionmaker
from leadbook.web.session import COOKIE
from tests.conftest import API, BACKEND, log_in
from tests.crmcom.conftest import refused

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="connection limits are PostgreSQL's (SQLite has no server)"
)


@pytest.fixture
def one_connection(app, database_url, demo):
    """The app connecting as a throw-away role that PostgreSQL lets hold one connection
    (superusers, the tests' own role, are exempt from such limits); the role's URL."""
    role = f"leadbook_one_{uuid.uuid4().hex[:10]}"
    owner = create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with owner.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 1"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    url = make_url(database_url).set(username=role).render_as_string(hide_password=False)
    engine = make_engine(url, busy_timeout=0.3, pool_size=1)
    app.state.sessionmaker = make_sessionmaker(engine)
    yield engine, url, lambda: _until_gone(owner, role)
    engine.dispose()
    with owner.connect() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


def _until_gone(owner, role: str) -> None:
    """Waits (5 s at most) until no backend of ``role`` is left: PostgreSQL counts a closed
    connection against the role's limit until its backend process has exited."""
    for _ in range(100):
        with owner.connect() as conn:
            left = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE usename = :role"),
                {"role": role},
            ).scalar_one()
        if not left:
            return
        time.sleep(0.05)


def test_no_connection_to_be_had_is_a_503_in_each_faces_format(client, one_connection):
    engine, url, released = one_connection
    token = log_in(client)  # through the role: it may use the database
    client.cookies.set(COOKIE, token)
    engine.dispose()  # the app's pooled connection closed: the next request needs a new one
    released()
    other = create_engine(url, poolclass=NullPool)
    with other.connect():  # the role's one connection, held by another client
        crmcom = client.get(
            f"{API}/leads/show", params={"token": token, "lead_identifier": "number=19"}
        )
        assert crmcom.status_code == 503 and crmcom.headers["Retry-After"] == "1"
        refused(crmcom, "SERVICE_UNAVAILABLE")
        xml = client.get("/leads/19.xml", headers={"Authorization": f"Bearer {token}"})
        assert xml.status_code == 503 and xml.headers["Retry-After"] == "1"
        assert b"<errors>" in xml.content and b"The database is busy" in xml.content
        page = client.get("/web/leads/19")
        assert page.status_code == 503 and page.headers["Retry-After"] == "1"
        assert page.headers["content-type"].startswith("text/html")
        assert "The database is busy" in page.text
    other.dispose()
    released()
    assert (
        client.get("/leads/19.xml", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
