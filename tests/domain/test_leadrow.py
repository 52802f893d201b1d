"""One changed lead is written by one Core UPDATE … WHERE version (domain/leadrow.py): a
stale version is a Conflict that changes nothing; the row, its many-to-one keys, its move's
stamp and its audit event are written; anything more is left to the ORM's flush."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from leadbook import models as m
from leadbook.domain import changes, leadrow, leads, writes
from leadbook.domain.errors import Conflict
from tests.domain.test_rules import _changes
from tests.statements import count_statements


def _stored(db, lead, column):
    """The stored value (read on the session's connection: no flush of pending changes)."""
    return db.connection().execute(select(column).where(m.Lead.id == lead.id)).scalar_one()


@pytest.fixture
def written(monkeypatch) -> list[bool]:
    """What each flush's leadrow.write answered (True: it wrote the flush itself)."""
    answers: list[bool] = []
    write = leadrow.write

    def spy(db):
        answers.append(write(db))
        return answers[-1]

    monkeypatch.setattr(leadrow, "write", spy)
    return answers


def test_a_stale_version_is_a_conflict_that_changes_nothing(db, actor):
    lead = leads.create(db, actor, _changes(db, description="first"))
    table = leadrow.LEADS  # behind the session's back, as another transaction would
    db.execute(update(table).where(table.c.id == lead.id).values(version=table.c.version + 1))
    lead.description = "second"
    with pytest.raises(Conflict, match="changed by someone else"):
        writes.flush(db)
    assert _stored(db, lead, m.Lead.description) == "first"
    assert _stored(db, lead, m.Lead.version) == 2
    db.expire(lead)  # its refused change dropped, as the request's rollback would


def test_an_update_is_one_update_of_the_row_and_its_event(db, actor, written):
    lead = leads.create(db, actor, _changes(db, description="first"))
    with count_statements() as sent:
        leads.update(db, actor, lead, changes.LeadChanges(values={"description": "second"}))
    assert written[-2:] == [True, True] and lead.version == 2
    updates = [s for s in sent if s.startswith("UPDATE leads")]
    assert len(updates) == 1 and "RETURNING" in updates[0], sent
    assert _stored(db, lead, m.Lead.description) == "second"
    assert _stored(db, lead, m.Lead.version) == 2
    assert _stored(db, lead, m.Lead.updated_date) == lead.updated_date
    assert not db.is_modified(lead)
    event = db.scalars(
        select(m.LeadEvent).where(m.LeadEvent.lead_id == lead.id, m.LeadEvent.action == "update")
    ).one()
    assert event.changes["description"] == ["first", "second"]


def test_a_changed_status_writes_its_key_and_stamps_the_move(db, actor, written):
    lead = leads.create(db, actor, _changes(db))
    other = next(s for s in lead.type.statuses if s is not lead.status)
    lead.status, lead.life_cycle_state = other, other.life_cycle_state
    writes.flush(db)
    assert written[-1] is True and lead.status_id == other.id
    assert _stored(db, lead, m.Lead.status_id) == other.id
    assert _stored(db, lead, m.Lead.last_activity_at) == lead.last_activity_at is not None


def test_a_flush_of_more_than_the_lead_is_the_orms(db, actor, written):
    lead = leads.create(db, actor, _changes(db))
    lead.description = "both"
    lead.contact.last_name = "Lovelace"
    writes.flush(db)
    assert written[-1] is False and lead.version == 2
    assert _stored(db, lead, m.Lead.description) == "both"
    contact = db.scalar(select(m.Contact.last_name).where(m.Contact.id == lead.contact_id))
    assert contact == "Lovelace"
