"""The one way of each rule for every face: lifecycle.move_to (a lead to a status or a
state), win opening the account asked for, create making a new contact."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import contacts, leads, lifecycle
from leadbook.domain.errors import InvalidLifeCycleState, MandatoryParameterMissing
from leadbook.models import LifeCycleState
from tests.domain.test_rules import _changes


def _status(lead: m.Lead, state: str) -> m.LeadStatus:
    return next(s for s in lead.type.statuses if s.life_cycle_state == state)


def test_a_state_is_reached_by_its_move_with_the_types_default_status(db, actor):
    lead = leads.create(db, actor, _changes(db))
    move = lifecycle.move_to(db, actor, lead, LifeCycleState.IN_PROGRESS)
    assert move is lifecycle.MOVES["start_progress"]
    assert lead.life_cycle_state == "IN_PROGRESS" and lead.status is lead.type.start_status


def test_a_status_of_another_state_is_reached_by_that_states_move(db, actor):
    lead = leads.create(db, actor, _changes(db))
    lifecycle.move_to(db, actor, lead, LifeCycleState.IN_PROGRESS)
    won = _status(lead, "WON")
    assert lifecycle.move_to(db, actor, lead, won) is lifecycle.MOVES["win"]
    assert (lead.life_cycle_state, lead.status) == ("WON", won)


def test_a_status_of_the_same_state_is_a_status_change_in_the_history(db, actor):
    lead = leads.create(db, actor, _changes(db))
    other = m.LeadStatus(name="Qualified", life_cycle_state=LifeCycleState.PENDING)
    lead.type.statuses.append(other)
    db.flush()
    assert lifecycle.move_to(db, actor, lead, other) is None
    assert lead.status is other and lead.version == 2


def test_moves_the_life_cycle_has_not_are_refused_and_change_nothing(db, actor):
    lead = leads.create(db, actor, _changes(db))
    with pytest.raises(InvalidLifeCycleState, match="only In Progress leads can be won"):
        lifecycle.move_to(db, actor, lead, LifeCycleState.WON)
    with pytest.raises(InvalidLifeCycleState, match="Pending already"):
        lifecycle.move_to(db, actor, lead, LifeCycleState.PENDING)
    with pytest.raises(MandatoryParameterMissing):
        lifecycle.move_to(db, actor, lead, LifeCycleState.LOST)
    lifecycle.move_to(db, actor, lead, LifeCycleState.IN_PROGRESS)
    with pytest.raises(InvalidLifeCycleState, match="No move leads back to Pending"):
        lifecycle.move_to(db, actor, lead, LifeCycleState.PENDING)
    assert lead.life_cycle_state == "IN_PROGRESS"
    reason = db.scalar(select(m.LostReason))
    lifecycle.move_to(db, actor, lead, LifeCycleState.LOST, lost_reason=reason)
    assert (lead.life_cycle_state, lead.lost_reason) == ("LOST", reason)


def test_win_opens_the_account_it_is_asked_to_open(db, actor):
    lead = leads.create(db, actor, _changes(db))
    new = lifecycle.NewAccount("Ada's account", "opened on the win")
    with pytest.raises(InvalidLifeCycleState):
        lifecycle.win(db, actor, lead, new_account=new)
    assert lead.accounts_receivable is None
    lifecycle.start_progress(db, actor, lead)
    lifecycle.win(db, actor, lead, new_account=new)
    account = lead.accounts_receivable
    assert (account.name, account.owner) == ("Ada's account", lead.contact)
    assert lead.contact.life_cycle_state == "FINANCIAL"


def test_create_makes_the_new_contact_a_face_describes_only_once_the_lead_is_sound(db, actor):
    new = contacts.NewContact(type="PERSON", values={"last_name": "Noether"})
    with pytest.raises(MandatoryParameterMissing, match="type is mandatory"):
        leads.create(db, actor, _changes(db, contact=new, type=None))
    assert not [row for row in db.new if isinstance(row, m.Contact)]
    lead = leads.create(db, actor, _changes(db, contact=new))
    assert lead.contact.last_name == "Noether" and lead.contact.number.startswith("CI")
