"""Scaling out: several `leadbook serve` instances on one PostgreSQL database (and one
Redis for the shared counters) serve as one, each ready, counting in its own /metrics the
requests it served and carrying request ids; each server keeps within its connection
budget however many workers it runs."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import API, BACKEND
from tests.servers import served

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="instances share a PostgreSQL database (SQLite is one host's)"
)
REDIS = {"redis_url": "redis://127.0.0.1:6379/0"}
SHOWN = {"handler": "/crmapi/rest/{version}/leads/show", "method": "GET", "status": "200"}


def _shows_counted(url: str) -> float:
    """The requests to leads/show answered 200 that the instance at ``url`` counted."""
    scrape = httpx.get(f"{url}/metrics")
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain")
    return sum(
        sample.value
        for family in text_string_to_metric_families(scrape.text)
        for sample in family.samples
        if sample.name == "http_requests_total" and SHOWN.items() <= sample.labels.items()
    )


def _login(url: str) -> str:
    answer = httpx.post(
        f"{url}{API}/authentication/token",
        json={
            "username": "mpadministrator",
            "password": "leadbook-demo",
            "organisation": "LEADBOOK",
        },
    ).json()
    assert answer["status"]["code"] == "OK", answer
    return answer["data"]["token"]


def _show(url: str, token: str, number: str) -> dict:
    return httpx.get(
        f"{url}{API}/leads/show",
        params={
            "token": token,
            "lead_identifier": f"number={number}",
            "fields_set": "number,description,life_cycle_state",
        },
        timeout=60,
    ).json()


def test_a_write_on_one_instance_is_read_on_the_other(database_url, demo, tmp_path):
    prefix = {"redis_prefix": f"test-{uuid.uuid4().hex[:8]}", **REDIS}
    with (
        served(database_url, tmp_path / "a.log", **prefix) as a,
        served(database_url, tmp_path / "b.log", **prefix) as b,
    ):
        for server in (a, b):
            ready = httpx.get(f"{server.url}/readyz")
            assert ready.status_code == 200 and ready.json()["status"] == "ready"
        token = _login(a.url)  # a token issued by one instance works on the other
        created = httpx.post(
            f"{a.url}{API}/leads/create",
            json={
                "token": token,
                "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "Twin"},
                "importance": "IMPORTANCE2",
                "priority": 2,
                "type_identifier": {"name": "New Customer"},
                "estimated_completion_time": {"time_period_value": 3, "time_period_uot": "WEEKS"},
                "source": {"type": "WEBSITE", "name": "two instances"},
                "description": "written on a",
                "fields_set": "number",
            },
        ).json()
        number = created["data"]["number"]
        assert _show(b.url, token, number)["data"]["description"] == "written on a"
        updated = httpx.post(
            f"{b.url}{API}/leads/update",
            json={
                "token": token,
                "lead_identifier": {"number": number},
                "description": "then on b",
                "fields_set": "number",
            },
        ).json()
        assert updated["status"]["code"] == "OK", updated
        assert _show(a.url, token, number)["data"] == {
            "number": number,
            "description": "then on b",
            "life_cycle_state": "PENDING",
        }
        before = {s.url: _shows_counted(s.url) for s in (a, b)}
        for server, times in ((a, 3), (b, 2)):
            for _ in range(times):
                assert _show(server.url, token, number)["status"]["code"] == "OK"
        after = {s.url: _shows_counted(s.url) for s in (a, b)}
        assert {u: after[u] - before[u] for u in after} == {a.url: 3, b.url: 2}


def test_each_instance_echoes_a_request_id_or_makes_one(database_url, tmp_path):
    with (
        served(database_url, tmp_path / "a.log") as a,
        served(database_url, tmp_path / "b.log") as b,
    ):
        made = set()
        for server in (a, b):
            sent = f"trace-{uuid.uuid4().hex[:12]}"
            echoed = httpx.get(f"{server.url}/readyz", headers={"X-Request-ID": sent})
            assert echoed.headers["x-request-id"] == sent
            new = httpx.get(f"{server.url}/readyz").headers["x-request-id"]
            assert len(new) == 32 and int(new, 16) >= 0
            made.add(new)
            assert sent in server.log.read_text()
        assert len(made) == 2


def test_the_workers_of_one_server_share_its_connection_budget(database_url, demo, tmp_path):
    name = make_url(database_url).database
    watcher = create_engine(database_url, pool_size=1, max_overflow=0)
    peak, stop = [0], threading.Event()

    def watch() -> None:
        with watcher.connect() as conn:
            while not stop.is_set():
                count = conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": name},
                )
                peak[0] = max(peak[0], count or 0)
                conn.commit()
                time.sleep(0.05)

    with watcher.connect() as conn:
        before = conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                "AND pid <> pg_backend_pid()"
            ),
            {"db": name},
        )
    with served(database_url, tmp_path / "s.log", workers=2, db_max_connections="4") as s:
        token = _login(s.url)
        thread = threading.Thread(target=watch)
        thread.start()
        try:
            with ThreadPoolExecutor(16) as pool:
                answers = list(pool.map(lambda _: _show(s.url, token, "5"), range(48)))
        finally:
            stop.set()
            thread.join()
    watcher.dispose()
    assert all(a["status"]["code"] == "OK" for a in answers)
    assert 1 <= peak[0] - (before or 0) <= 4, (before, peak[0])
