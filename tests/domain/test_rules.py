"""The lead rules called directly, without a face: create's mandatory parts, update's
version check and the life cycle's moves and refusals. A refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.domain import changes, leads, lifecycle
from leadbook.domain.errors import (
    Conflict,
    InvalidLifeCycleState,
    MandatoryParameterMissing,
)


def _changes(db, **values) -> changes.LeadChanges:
    base = {
        "type": db.scalar(select(m.LeadType).where(m.LeadType.name == "New Customer")),
        "importance": "IMPORTANCE3",
        "priority": 2,
        "contact": m.Contact(type="PERSON", last_name="Ada"),
    }
    return changes.LeadChanges(
        values={**base, **values}, source=changes.Source(type="WEBSITE", name="leadbook.test")
    )


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(m.Lead))


def test_create_makes_a_pending_lead_of_the_types_create_status(db, actor):
    lead = leads.create(db, actor, _changes(db))
    assert lead.life_cycle_state == "PENDING" and lead.number >= 1
    assert lead.status is lead.type.create_status
    assert lead.assigned_user is actor.user and lead.version == 1


@pytest.mark.parametrize("missing", ["type", "importance", "priority", "contact"])
def test_create_refuses_a_lead_without_a_mandatory_part(db, actor, missing):
    before = _count(db)
    with pytest.raises(MandatoryParameterMissing, match="mandatory"):
        leads.create(db, actor, _changes(db, **{missing: None}))
    assert _count(db) == before


def test_create_refuses_a_lead_without_a_source(db, actor):
    sourceless = _changes(db)
    sourceless.source = None
    with pytest.raises(MandatoryParameterMissing, match="source"):
        leads.create(db, actor, sourceless)


def test_update_refuses_a_stale_version_and_changes_nothing(db, actor):
    lead = leads.create(db, actor, _changes(db, description="first"))
    leads.update(db, actor, lead, changes.LeadChanges(values={"description": "second"}))
    assert lead.version == 2
    stale = changes.LeadChanges(values={"description": "third"})
    with pytest.raises(Conflict, match="version 2, not 1"):
        leads.update(db, actor, lead, stale, expected_version=1)
    assert (lead.description, lead.version) == ("second", 2)
    leads.update(db, actor, lead, stale, expected_version=2)
    assert (lead.description, lead.version) == ("third", 3)


def test_update_refuses_clearing_a_mandatory_field(db, actor):
    lead = leads.create(db, actor, _changes(db))
    with pytest.raises(MandatoryParameterMissing, match="priority cannot be set to null"):
        leads.update(db, actor, lead, changes.LeadChanges(values={"priority": None}))


def test_the_life_cycle_moves_pending_to_in_progress_to_won(db, actor):
    lead = leads.create(db, actor, _changes(db))
    assert lifecycle.allowed_actions(actor, lead) == ["start_progress", "lose", "cancel"]
    lifecycle.start_progress(db, actor, lead)
    assert lead.life_cycle_state == "IN_PROGRESS" and lead.status is lead.type.start_status
    assert lifecycle.allowed_actions(actor, lead) == ["win", "lose", "cancel"]
    lifecycle.win(db, actor, lead)
    assert lead.life_cycle_state == "WON" and lifecycle.allowed_actions(actor, lead) == []


def test_a_pending_lead_cannot_be_won_and_stays_pending(db, actor):
    lead = leads.create(db, actor, _changes(db))
    with pytest.raises(InvalidLifeCycleState, match="only In Progress leads can be won"):
        lifecycle.win(db, actor, lead)
    assert lead.life_cycle_state == "PENDING"


def test_losing_needs_a_reason_and_a_closed_lead_moves_no_more(db, actor):
    lead = leads.create(db, actor, _changes(db))
    with pytest.raises(MandatoryParameterMissing, match="lost_reason"):
        lifecycle.lose(db, actor, lead, None)
    assert lead.life_cycle_state == "PENDING"
    lifecycle.lose(db, actor, lead, db.scalar(select(m.LostReason)))
    assert lead.life_cycle_state == "LOST"
    for move in (lifecycle.start_progress, lifecycle.cancel):
        with pytest.raises(InvalidLifeCycleState, match="is Lost"):
            move(db, actor, lead)
    with pytest.raises(InvalidLifeCycleState, match="only Pending or In Progress"):
        leads.update(db, actor, lead, changes.LeadChanges(values={"description": "late"}))
    assert lead.life_cycle_state == "LOST"
