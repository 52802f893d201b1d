"""A served app's reads (``deps.read``: a session in autocommit on an unpinged connection)
answer exactly as sessions in a transaction (pinged, BEGIN … COMMIT) do, refusals included; a
read whose pooled connection died is asked again on a new one, and a write's connection is
pinged before use: neither is a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from leadbook.app import create_app
from leadbook.config import Settings
from tests.conftest import API, BACKEND, log_in
from tests.crmcom.conftest import SEED_TOKEN, ok, refused

READS = [
    ("show", {"lead_identifier": "number=116"}),
    ("show", {"lead_identifier": "number=116", "fields_set": "number,status,users_set"}),
    ("list", {"type_identifier": "name=Software Purchase", "number_of_results": "5"}),
    ("list", {"priority": "2", "offset": "1"}),
    ("get_pending", {}),
    ("get_won_leads", {"fields_set": "number"}),
    ("get_overdue", {}),
    ("get_close_to_estimated_completion_time", {"period": "2", "uot": "MONTHS"}),
]
REFUSED = [
    ("show", {"lead_identifier": "number=999999"}, "NOT_FOUND"),
    ("show", {"lead_identifier": "number=116", "token": "F" * 32}, "INVALID_TOKEN"),
    ("list", {}, "MANDATORY_PARAMETER_MISSING"),
    ("list", {"type_identifier": "name=No Such Type"}, "NOT_FOUND"),
    ("get_pending", {"colour": "red"}, "INVALID_VALUE"),
]


@pytest.fixture
def served(database_url, demo) -> Iterator[TestClient]:
    """An app of its own on the committed database, as ``leadbook serve`` makes it."""
    app = create_app(Settings(database_url=database_url, db_pool_size=2))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _get(client: TestClient, method: str, params: dict[str, str]):
    return client.get(f"{API}/leads/{method}", params={"token": SEED_TOKEN, **params})


def test_the_served_reads_answer_as_transactional_sessions_do(served, app, client):
    app.state.reads = (app.state.sessionmaker, app.state.sessionmaker)  # deps._reads: as before
    for method, params in READS:
        mine, reference = _get(served, method, params), _get(client, method, params)
        assert mine.status_code == reference.status_code == 200, (method, mine.text)
        assert ok(mine) and mine.json() == reference.json(), (method, params)
    for method, params, code in REFUSED:
        mine, reference = _get(served, method, params), _get(client, method, params)
        assert mine.status_code == reference.status_code and mine.status_code < 500
        assert refused(mine, code) == refused(reference, code), (method, params)


@pytest.mark.skipif(BACKEND != "postgres", reason="a server's backend to terminate")
def test_a_dropped_connection_is_replaced_not_a_5xx(served, database_url):
    token = log_in(served)  # a write: the sessions' pool holds a connection now
    lead = ok(_get(served, "show", {"lead_identifier": "number=116"}))  # and the reads'
    killer = create_engine(database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    killer.dispose()
    assert killed >= 2
    again = _get(served, "show", {"lead_identifier": "number=116"})  # retried once
    assert again.status_code == 200 and ok(again) == lead
    page = _get(served, "list", {"type_identifier": "name=Software Purchase"})
    assert page.status_code == 200 and ok(page)
    written = served.post(  # the write's connection pinged and replaced
        f"{API}/leads/update",
        json={"token": token, "lead_identifier": {"number": "116"}, "description": "again"},
    )
    assert written.status_code == 200, written.text
    assert ok(_get(served, "show", {"lead_identifier": "number=116"}))["description"] == "again"
