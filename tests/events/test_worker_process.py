"""Real `leadbook worker` processes (and `leadbook serve` on SQLite) delivering to a real
receiver: killed mid-delivery, two sharing a thousand events on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.worker.heartbeat import worker_alive
from tests.conftest import BACKEND
from tests.events.conftest import FAST, emit, states, subscribe, until
from tests.ops.served import served

LEADBOOK = Path(sys.executable).parent / "leadbook"
ENV = {f"LEADBOOK_{key.upper()}": str(value) for key, value in FAST.items()}


@contextmanager
def worker(database_url: str, log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """Runs `leadbook worker` on ``database_url`` until the test is done with it."""
    environment = {**os.environ, "LEADBOOK_DATABASE_URL": database_url, **ENV, **env}
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [str(LEADBOOK), "worker"], env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(20)


def _delivered_once_each(factory, count: int) -> None:
    with factory() as db:
        good = db.scalars(
            select(m.WebhookAttempt.delivery_id).where(m.WebhookAttempt.status_code == 200)
        ).all()
    assert len(good) == len(set(good)) == count


def test_a_worker_killed_mid_delivery_delivers_after_restart(
    factory, database_url, receiver, tmp_path
):
    subscribe(factory, receiver.url)
    receiver.holding = True  # the first request hangs until the worker is killed
    emit(factory, 1)
    log = tmp_path / "worker.log"
    lease = {"LEADBOOK_WEBHOOK_LEASE_SECONDS": "2", "LEADBOOK_WEBHOOK_TIMEOUT_SECONDS": "30"}
    with worker(database_url, log, **lease) as first:
        until(lambda: receiver.got, "the worker sends the event")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert states(factory) == {"pending": 1}
    receiver.holding = False
    receiver.hold.set()
    with worker(database_url, log, **lease):
        until(lambda: states(factory) == {"delivered": 1}, "delivered after restart")
        with factory() as db:
            assert worker_alive(db)
    assert len(receiver.got) == 2 and len(receiver.unique()) == 1
    _delivered_once_each(factory, 1)


@pytest.mark.skipif(BACKEND != "postgres", reason="several workers share work on PostgreSQL")
def test_two_workers_deliver_a_thousand_events_exactly_once_in_order(
    factory, database_url, receiver, tmp_path
):
    subscribe(factory, receiver.url)
    emit(factory, 1000, leads=50, per=10)
    log = tmp_path / "workers.log"
    with worker(database_url, log), worker(database_url, log):
        until(lambda: states(factory) == {"delivered": 1000}, "all delivered")
        with factory() as db:
            beating = db.scalar(select(func.count()).select_from(m.WorkerHeartbeat))
    assert beating == 2
    unique = receiver.unique()
    assert len(unique) == 1000
    by_lead: dict[str, list[int]] = {}
    for item in sorted(unique.values(), key=lambda r: r.at):
        by_lead.setdefault(item.event["data"]["lead"]["id"], []).append(item.event["cursor"])
    assert len(by_lead) == 50
    assert all(positions == sorted(positions) for positions in by_lead.values())
    _delivered_once_each(factory, 1000)


@pytest.mark.skipif(BACKEND != "sqlite", reason="serve runs a worker itself on SQLite only")
def test_serve_delivers_webhooks_by_itself_on_sqlite(factory, database_url, receiver):
    subscribe(factory, receiver.url)
    with factory() as db:
        assert not worker_alive(db)
    with served(database_url, **ENV, LEADBOOK_IN_PROCESS_WORKER="auto"):
        emit(factory, 3)
        until(lambda: states(factory) == {"delivered": 3}, "serve's worker delivers")
        with factory() as db:
            assert worker_alive(db)
    assert len(receiver.unique()) == 3
