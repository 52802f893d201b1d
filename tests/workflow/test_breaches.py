"""First response, rotting per status and escalation: one rule (domain.workflow.sla) for
the filters, counts and the breach job; each breach announced once, to the assignee, and
escalated later to the managers of the lead's unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from leadbook import models as m
from leadbook.domain import clock, lifecycle, queries
from leadbook.domain.filters import LeadFilter
from leadbook.domain.workflow import breaches, notes, sla
from leadbook.domain.workflow.sla import Breach
from leadbook.refdata import config
from tests.workflow.conftest import NOW

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def targeted(db, lead, users):
    """New Customer: first response in 2 h, Reach rots after 3 days, Learn after 7,
    escalation 24 h later; lead 40 created at NOW, assigned to sam in Sales Unit."""
    document = {
        "lead_types": [
            {
                "name": "New Customer",
                "first_response_minutes": 120,
                "escalation_hours": 24,
                "rotting_days": {"Reach": 3, "Learn": 7},
            }
        ]
    }
    config.apply(db, document)
    later = NOW + 1000 * DAY  # the other demo leads stay out of it
    others = update(m.Lead).where(m.Lead.number != 40)
    db.execute(others.values(last_activity_at=later, updated_date=later))
    lead.created_date = lead.updated_date = NOW
    lead.last_activity_at = None
    lead.assigned_user, lead.assigned_unit = users["sam"], users["sam"].unit
    db.flush()
    assert lead.type.name == "New Customer" and lead.status.name == "Reach"
    return lead


def _breached(db, actor, kind: Breach) -> set[int]:
    rule = sla.check(db, clock.now())
    f = LeadFilter(breached=rule, breach_kinds=(kind,))
    return {lead.number for lead in queries.find(db, actor, f)}


def _told(db, username: str) -> list[str]:
    user = db.scalar(select(m.User).where(m.User.username == username))
    stmt = select(m.UserNotification.kind).where(m.UserNotification.user_id == user.id)
    return list(db.scalars(stmt))


def _feed(db, kind: str) -> int:
    db.commit()  # feed events are written at commit
    return len(db.scalars(select(m.FeedEvent).where(m.FeedEvent.type == kind)).all())


def test_first_response_is_breached_after_the_target_unless_answered(db, targeted, admin, frozen):
    clock.freeze(NOW + 119 * timedelta(minutes=1))
    assert 40 not in _breached(db, admin, Breach.FIRST_RESPONSE)
    clock.freeze(NOW + 2 * HOUR + timedelta(seconds=1))
    assert 40 in _breached(db, admin, Breach.FIRST_RESPONSE)
    notes.add(db, admin, targeted, "Called back")
    assert 40 not in _breached(db, admin, Breach.FIRST_RESPONSE)


def test_rotting_counts_days_per_status_since_the_last_activity_or_change(
    db, targeted, admin, frozen
):
    notes.add(db, admin, targeted, "first response")  # at NOW
    clock.freeze(NOW + 3 * DAY - HOUR)
    assert 40 not in _breached(db, admin, Breach.ROTTING)
    clock.freeze(NOW + 3 * DAY + HOUR)
    assert 40 in _breached(db, admin, Breach.ROTTING)
    lifecycle.start_progress(db, admin, targeted)  # Learn: 7 days from this move
    assert 40 not in _breached(db, admin, Breach.ROTTING)
    clock.freeze(NOW + 10 * DAY)
    assert 40 not in _breached(db, admin, Breach.ROTTING)
    clock.freeze(NOW + 10 * DAY + 2 * HOUR)
    assert 40 in _breached(db, admin, Breach.ROTTING)


def test_each_breach_is_announced_once_to_the_assignee_then_escalated(
    db, targeted, admin, users, frozen
):
    clock.freeze(NOW + 3 * HOUR)
    assert breaches.run(db) == breaches.Tick(breaches=1, escalations=0)
    assert breaches.run(db) == breaches.Tick()  # once per breach
    assert _feed(db, "lead.first_response_breached") == 1
    assert _told(db, "sam") == ["lead.first_response_breached"]
    clock.freeze(NOW + 2 * HOUR + 24 * HOUR + timedelta(minutes=1))
    done = breaches.run(db)
    assert done.escalations == 1
    assert _told(db, "boss") == ["lead.breach_escalated"]
    assert _feed(db, "lead.breach_escalated") == 1
    assert breaches.run(db).escalations == 0


def test_a_rotting_lead_touched_and_left_again_is_a_new_breach(db, targeted, admin, frozen):
    notes.add(db, admin, targeted, "first response")
    clock.freeze(NOW + 4 * DAY)
    assert breaches.run(db).breaches == 1
    assert breaches.run(db).breaches == 0
    notes.add(db, admin, targeted, "still there?")  # at NOW + 4 days
    clock.freeze(NOW + 8 * DAY)
    assert breaches.run(db).breaches == 1
    assert _feed(db, "lead.rotting") == 2


def test_closed_leads_and_types_without_targets_never_breach(db, targeted, admin, frozen):
    lifecycle.cancel(db, admin, targeted)
    clock.freeze(NOW + 30 * DAY)
    assert sla.check(db, clock.now()).any_condition() is not None
    assert 40 not in _breached(db, admin, Breach.ROTTING)
    assert breaches.run(db) == breaches.Tick()
