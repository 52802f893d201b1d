"""The worker's scheduled jobs: due-date events once per lead and due day, by the domain's
one overdue rule; the purge of dead tokens; the daily rescoring."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.config import get_settings
from leadbook.domain import clock, due, scoring, subscriptions
from leadbook.worker import jobs
from leadbook.worker.loop import Worker

NOW = datetime(2031, 3, 4, 15, 0)


@pytest.fixture
def frozen():
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


def _events(db, kind: str) -> list[m.FeedEvent]:
    db.commit()  # the feed's events are written as their transaction commits
    chosen = select(m.FeedEvent).where(m.FeedEvent.type == kind).order_by(m.FeedEvent.id)
    return list(db.scalars(chosen))


def _lead(db, number: int) -> m.Lead:
    return db.scalar(select(m.Lead).where(m.Lead.number == number))


def test_due_events_are_sent_once_per_lead_and_due_day(db, demo, frozen):
    today_9am = NOW.replace(hour=9)
    due_today, due_tomorrow, late = _lead(db, 40), _lead(db, 41), _lead(db, 69)
    for lead in (due_today, due_tomorrow, late):
        lead.life_cycle_state = "PENDING"
    due_today.expected_completion_date = today_9am
    due_tomorrow.expected_completion_date = today_9am + timedelta(days=1)
    late.expected_completion_date = today_9am - timedelta(days=1)
    db.flush()
    overdue = db.scalar(select(func.count()).select_from(m.Lead).where(due.overdue_condition(NOW)))
    assert jobs.due_events(db, close_days=1) == overdue + 2
    assert due.is_overdue(late, NOW) and not due.is_overdue(due_today, NOW)
    close = {e.lead_number for e in _events(db, "lead.close_to_completion")}
    assert close == {40, 41}
    assert 69 in {e.lead_number for e in _events(db, "lead.overdue")}
    assert jobs.due_events(db, close_days=1) == 0  # once per lead and due day
    late.expected_completion_date = today_9am - timedelta(days=2)  # a new due day
    db.flush()
    assert jobs.due_events(db, close_days=1) == 1
    event = _events(db, "lead.overdue")[-1]
    assert event.data["actor"]["face"] == "scheduler"
    assert event.data["expected_completion_date"].startswith("2031-03-02")


def test_dead_tokens_are_purged(db, demo):
    user = db.scalar(select(m.User).where(m.User.username == "mpadministrator"))
    short = tokens.issue(db, user, ttl_seconds=60)
    lasting = tokens.issue(db, user, ttl_seconds=None)
    tokens.release(db, lasting)
    live = tokens.issue(db, user, ttl_seconds=3600)
    clock.freeze(clock.now() + timedelta(minutes=5))
    try:
        assert jobs.purge_tokens(db) >= 1
    finally:
        clock.freeze(None)
    for gone in (short, lasting):
        assert db.get(m.AccessToken, tokens.token_hash(gone)) is None
    assert tokens.resolve(db, live).user is user


def test_old_delivered_deliveries_are_purged_never_pending_or_failed_ones(db, demo):
    sub, _ = subscriptions.save(db, "purged", {"url": "https://crm.example/hooks"})
    now = datetime(2031, 3, 4, 15, 0)
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    made = {
        "old delivered": ("delivered", old),
        "recent delivered": ("delivered", recent),
        "old failing": ("pending", None),
        "old failed": ("failed", None),
    }
    ids = {}
    for position, (label, (state, delivered_at)) in enumerate(made.items(), start=1):
        row = m.WebhookDelivery(
            subscription_id=sub.id,
            position=position,
            lead_id="L" * 32,
            state=state,
            attempts=1,
            next_attempt_at=old,
            first_attempt_at=old,
            delivered_at=delivered_at,
        )
        db.add(row)
        db.flush()
        db.add(m.WebhookAttempt(delivery_id=row.id, attempted_at=old, status_code=500))
        ids[label] = row.id
    db.flush()
    assert jobs.purge_deliveries(db, 30, now=now) == 1
    db.expire_all()
    kept = {row.id for row in db.scalars(select(m.WebhookDelivery))}
    assert kept == {ids[k] for k in made if k != "old delivered"}
    tried = set(db.scalars(select(m.WebhookAttempt.delivery_id)))
    assert tried == kept
    assert jobs.purge_deliveries(db, 30, now=now) == 0


def test_the_worker_runs_the_delivery_purge_with_the_retention_setting(db, sessions, settings):
    from leadbook.worker.loop import Worker

    sub, _ = subscriptions.save(db, "purged", {"url": "https://crm.example/hooks"})
    long_ago = datetime.utcnow() - timedelta(days=8)
    db.add(
        m.WebhookDelivery(
            subscription_id=sub.id,
            position=1,
            lead_id="L" * 32,
            state="delivered",
            next_attempt_at=long_ago,
            delivered_at=long_ago,
        )
    )
    db.commit()
    week = settings.model_copy(update={"webhook_log_retention_days": 7})
    worker = Worker(sessions, week)
    try:
        worker.scheduled()
    finally:
        worker.pool.shutdown()
        worker.client.close()
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(m.WebhookDelivery)) == 0


def test_the_worker_rescores_once_a_day_from_its_hour(factory, monkeypatch):
    calls: list[datetime] = []
    monkeypatch.setattr(jobs, "rescore", lambda sessions, day: calls.append(clock.now()) or 0)
    settings = get_settings().model_copy(update={"score_recompute_hour": 2})
    worker = Worker(factory, settings)
    try:
        for moment, expected in (
            (datetime(2031, 3, 4, 1, 0), 0),  # before the hour
            (datetime(2031, 3, 4, 2, 30), 1),
            (datetime(2031, 3, 4, 23, 0), 1),  # once that day
            (datetime(2031, 3, 5, 2, 0), 2),
        ):
            clock.freeze(moment)
            worker.scheduled()
            assert len(calls) == expected, moment
    finally:
        clock.freeze(None)
        worker.pool.shutdown()
        worker.client.close()


def test_a_day_is_rescored_once_whatever_the_workers_and_restarts(factory, monkeypatch):
    batches: list[int] = []

    def batch(db, after):
        batches.append(after)
        return (1, after + 1) if after < 2 else (0, None)

    monkeypatch.setattr(scoring, "recompute_after", batch)
    assert jobs.rescore(factory, date(2031, 3, 4)) == 2 and batches == [0, 1, 2]
    assert jobs.rescore(factory, date(2031, 3, 4)) == 0  # another worker, or a restart
    assert batches == [0, 1, 2]
    assert jobs.rescore(factory, date(2031, 3, 5)) == 2 and batches == [0, 1, 2] * 2
    assert jobs.rescore(factory, date(2031, 3, 3)) == 0  # a clock gone back: done already
