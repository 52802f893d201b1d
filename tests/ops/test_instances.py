"""Scaling out: several `leadbook serve` instances on one PostgreSQL database (and one
Redis for the shared counters) serve as one; each server keeps within its connection
budget however many workers it runs."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import API, BACKEND
from tests.servers import served

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="instances share a PostgreSQL database (SQLite is one host's)"
)
REDIS = {"redis_url": "redis://127.0.0.1:6379/0"}


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
