"""Activities and a lead's next activity (its earliest open one), and the list filters on
it ("no next activity", "next activity overdue") every face shares."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import clock, lifecycle, queries
from leadbook.domain.errors import InvalidLifeCycleState, InvalidValue, PermissionDenied
from leadbook.domain.filters import LeadFilter
from leadbook.domain.workflow import activities
from leadbook.domain.workflow.activities import NewActivity
from tests.workflow.conftest import NOW

HOUR = timedelta(hours=1)


def _numbers(db, actor, f: LeadFilter) -> set[int]:
    return {lead.number for lead in queries.find(db, actor, f)}


def test_the_next_activity_is_the_earliest_open_one(db, lead, as_, frozen):
    sam = as_("sam")
    later = activities.log(db, sam, lead, NewActivity("meeting", "Demo", NOW + 5 * HOUR))
    sooner = activities.log(db, sam, lead, NewActivity("call", "Follow up", NOW + HOUR))
    activities.log(db, sam, lead, NewActivity("call", "First call", None, done=True))
    assert activities.next_of(db, [lead])[lead.id] is sooner
    assert sooner.assignee.username == "sam" and lead.last_activity_at == NOW
    clock.freeze(NOW + 2 * HOUR)
    activities.mark_done(db, sam, lead, sooner)
    assert sooner.done_at == NOW + 2 * HOUR and lead.last_activity_at == NOW + 2 * HOUR
    assert activities.next_of(db, [lead])[lead.id] is later
    with pytest.raises(InvalidLifeCycleState):
        activities.mark_done(db, sam, lead, sooner)


def test_filters_no_next_activity_and_next_activity_overdue(db, lead, as_, frozen):
    admin = as_("admin")
    none = LeadFilter(no_next_activity=True)
    overdue = LeadFilter(next_activity_overdue_at=NOW)
    assert 40 in _numbers(db, admin, none) and 40 not in _numbers(db, admin, overdue)
    activities.log(db, admin, lead, NewActivity("task", "Send offer", NOW - HOUR))
    assert 40 not in _numbers(db, admin, none)
    assert _numbers(db, admin, overdue) == {40}
    activities.log(db, admin, lead, NewActivity("task", "Later", NOW + HOUR))
    assert _numbers(db, admin, overdue) == {40}  # the earliest open one is late
    assert queries.count(db, admin, overdue) == 1


def test_bad_activities_are_refused_and_store_nothing(db, lead, as_, frozen):
    with pytest.raises(InvalidValue) as refused:
        activities.log(db, as_("sam"), lead, NewActivity("lunch", "Eat", NOW))
    assert refused.value.field == "kind"
    with pytest.raises(PermissionDenied):
        activities.log(db, as_("rita"), lead, NewActivity("call", "x", NOW))
    assert activities.of_lead(db, lead) == []


def test_a_move_stamps_last_activity_but_a_creation_does_not(db, lead, admin, frozen):
    assert lead.last_activity_at is None
    lifecycle.start_progress(db, admin, lead)
    assert lead.last_activity_at == NOW
    stored = db.scalar(select(m.Lead.last_activity_at).where(m.Lead.id == lead.id))
    assert stored == NOW
