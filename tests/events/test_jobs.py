"""The worker's scheduled jobs: due-date events once per lead and due day, by the domain's
one overdue rule; the purge of dead tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.domain import clock, due
from leadbook.worker import jobs

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
