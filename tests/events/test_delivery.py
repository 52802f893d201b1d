"""Webhook delivery by the worker to a real HTTP receiver: signed, at least once, in order
per lead, retried while the receiver is down, paused when it never comes back."""

from __future__ import annotations

import time

from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from leadbook import models as m
from leadbook.db import transaction
from leadbook.domain import subscriptions
from leadbook.webhooks import fanout
from leadbook.worker.loop import Worker
from tests.events.conftest import emit, states, subscribe, work_until


def _in_order_per_lead(receiver) -> None:
    by_lead: dict[str, list[int]] = {}
    for item in sorted(receiver.unique().values(), key=lambda r: r.at):
        event = item.event
        by_lead.setdefault(event["data"]["lead"]["id"], []).append(event["cursor"])
    for positions in by_lead.values():
        assert positions == sorted(positions)


def test_the_receiver_verifies_the_signature(factory, fast, receiver):
    secret = subscribe(factory, receiver.url)
    emit(factory, 1)
    work_until(Worker(factory, fast), lambda: receiver.got)
    got = receiver.got[0]
    payload = Webhook(secret).verify(got.body, got.headers)
    assert payload["type"] == "lead.updated" and payload["id"] == got.headers["webhook-id"]
    assert payload["data"]["changes"] == {"n": 0}
    forged = {**got.headers, "webhook-signature": "v1,AAAA"}
    try:
        Webhook(secret).verify(got.body, forged)
    except Exception as exc:
        assert "signature" in str(exc).lower()
    else:
        raise AssertionError("a forged signature passed")


def test_a_receiver_down_for_a_while_gets_everything_once(factory, fast, receiver):
    subscribe(factory, receiver.url)
    receiver.stop()
    emit(factory, 20)
    worker = Worker(factory, fast)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:  # tries fail: the receiver refuses connections
        worker.round() or time.sleep(0.05)
    assert states(factory) == {"pending": 20}
    receiver.start()
    work_until(worker, lambda: states(factory) == {"delivered": 20})
    assert len(receiver.unique()) == 20
    _in_order_per_lead(receiver)
    with factory() as db:
        tries = db.scalars(select(m.WebhookAttempt)).all()
        good = [t.delivery_id for t in tries if t.status_code == 200]
        assert len(good) == len(set(good)) == 20  # none delivered twice in the log
        assert any(t.error and "Connect" in t.error for t in tries)


def test_a_receiver_that_never_recovers_pauses_the_subscription(factory, fast, receiver):
    receiver.status = 500
    subscribe(factory, receiver.url)
    emit(factory, 3, leads=1)
    worker = Worker(factory, fast.model_copy(update={"webhook_retry_window_seconds": 0.5}))
    work_until(worker, lambda: "failed" in states(factory))
    with factory() as db:
        sub = db.scalar(select(m.WebhookSubscription))
        assert not sub.active and "HTTP 500" in sub.paused_reason
        first = min(d.position for d in db.scalars(select(m.WebhookDelivery)))
    assert states(factory) == {"failed": 1, "pending": 2}  # the lead's later events wait
    receiver.status = 200
    with transaction(factory) as db:
        sub = subscriptions.find(db, "hook")
        subscriptions.save(db, "hook", {"active": True})
        assert fanout.redeliver(db, sub, first, first) == 1
    work_until(worker, lambda: states(factory) == {"delivered": 3})
    _in_order_per_lead(receiver)


def test_answers_are_read_within_a_time_and_size_limit(factory, fast, receiver):
    receiver.reply = b"x" * (5 * 1024 * 1024)
    subscribe(factory, receiver.url)
    emit(factory, 1)
    work_until(Worker(factory, fast), lambda: states(factory) == {"delivered": 1})
    receiver.holding = True  # now it never answers
    emit(factory, 1)
    worker = Worker(factory, fast.model_copy(update={"webhook_timeout_seconds": 0.5}))
    work_until(worker, lambda: _errors(factory))
    assert "Timeout" in _errors(factory)[0]


def _errors(factory) -> list[str]:
    with factory() as db:
        return [t.error for t in db.scalars(select(m.WebhookAttempt)) if t.error]


def test_filters_choose_the_events(factory, fast, receiver):
    with transaction(factory) as db:
        db.add(m.LeadType(id="T" * 32, name="New Customer"))
    subscribe(factory, receiver.url, name="states", event_types=["lead.state_changed"])
    subscribe(factory, receiver.url, name="typed", lead_types=["New Customer"])
    emit(factory, 2)
    work_until(Worker(factory, fast), lambda: states(factory) == {"delivered": 2})
    assert len(receiver.got) == 2
