"""Webhook fixtures: a real receiver, a subscription to it, events made fast (straight
through the domain's feed), and a worker whose retries take fractions of a second."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.db import make_sessionmaker, transaction
from leadbook.domain import feed, subscriptions
from leadbook.worker.loop import Worker
from tests.events.receiver import Receiver

FAST = {
    "webhook_retry_first_seconds": 0.1,
    "webhook_retry_max_seconds": 0.4,
    "webhook_timeout_seconds": 2.0,
    "webhook_lease_seconds": 4.0,
    "worker_poll_seconds": 0.05,
}
TYPE = m.LeadType(id="T" * 32, name="New Customer")
STATUS = m.LeadStatus(id="S" * 32, name="Reach")


@pytest.fixture
def receiver():
    found = Receiver().start()
    yield found
    found.hold.set()
    found.stop()


@pytest.fixture
def factory(_bind, committed_db):
    """Sessions on the committed database, emptied after the test (``_bind``)."""
    return make_sessionmaker(committed_db)


@pytest.fixture
def fast(settings):
    return settings.model_copy(update=FAST)


def subscribe(factory, url: str, name: str = "hook", **given) -> str:
    """Subscribes ``name`` to ``url``; returns its secret."""
    with transaction(factory) as db:
        row, _ = subscriptions.save(db, name, {"url": url, **given})
        return row.secret


def emit(factory, count: int, leads: int = 4, per: int = 1) -> None:
    """Records ``count`` events spread over ``leads`` leads, ``per`` a transaction."""
    for first in range(0, count, per):
        with transaction(factory) as db:
            for index in range(first, min(first + per, count)):
                lead = m.Lead(
                    id=f"{index % leads:032d}",
                    number=index % leads + 1,
                    type=TYPE,
                    type_id=TYPE.id,
                    status=STATUS,
                    life_cycle_state="PENDING",
                )
                feed.publish(db, lead, None, "lead.updated", {"changes": {"n": index}})


def until(check, what: str, bound: float = 240) -> None:
    """Waits until ``check()`` holds (a generous bound: the machine may be loaded)."""
    deadline = time.monotonic() + bound
    while not check():
        assert time.monotonic() < deadline, f"not within {bound} s: {what}"
        time.sleep(0.2)


def work_until(worker: Worker, check, bound: float = 30) -> None:
    """Runs rounds of ``worker`` until ``check()`` holds."""
    deadline = time.monotonic() + bound
    while not check():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        if not worker.round():
            time.sleep(0.05)


def states(factory) -> dict[str, int]:
    """How many deliveries are in each state."""
    d = m.WebhookDelivery
    with factory() as db:
        rows = db.execute(select(d.state, func.count()).group_by(d.state)).all()
        return {state: count for state, count in rows}
