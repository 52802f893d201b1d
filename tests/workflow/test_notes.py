"""Notes: anyone who may work a lead writes them; only the author or an administrator
changes or deletes one; each write is audited, a feed event, and the lead's last activity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import clock
from leadbook.domain.errors import MandatoryParameterMissing, NotFound, PermissionDenied
from leadbook.domain.workflow import notes
from tests.workflow.conftest import NOW


def _feed(db, lead) -> list[str]:
    db.commit()  # feed events are written at commit
    stmt = select(m.FeedEvent.type).where(m.FeedEvent.lead_id == lead.id)
    return list(db.scalars(stmt.order_by(m.FeedEvent.id)))


def test_a_note_is_stored_audited_published_and_stamps_last_activity(db, lead, as_, frozen):
    version = lead.version
    note = notes.add(db, as_("sam"), lead, "  Called, wants a demo  ")
    assert (note.text, note.author.username, note.created_at) == (
        "Called, wants a demo",
        "sam",
        NOW,
    )
    assert lead.last_activity_at == NOW
    db.refresh(lead)
    assert lead.version == version  # a note is no change of the lead's fields
    assert _feed(db, lead)[-1] == "note.created"
    audit = db.scalars(select(m.LeadEvent).where(m.LeadEvent.lead_id == lead.id)).all()[-1]
    assert (audit.action, audit.username) == ("note.created", "sam")


def test_only_the_author_or_an_administrator_edits_or_deletes(db, lead, as_, frozen):
    note = notes.add(db, as_("sam"), lead, "first")
    with pytest.raises(PermissionDenied):
        notes.edit(db, as_("boss"), lead, note, "not mine")
    clock.freeze(NOW + timedelta(minutes=5))
    notes.edit(db, as_("sam"), lead, note, "second")
    assert (note.text, note.updated_at) == ("second", NOW + timedelta(minutes=5))
    notes.delete(db, as_("admin"), lead, note)
    assert notes.of_lead(db, lead) == []
    assert _feed(db, lead)[-2:] == ["note.updated", "note.deleted"]


def test_a_read_only_user_or_one_who_cannot_see_the_lead_writes_nothing(db, lead, as_):
    with pytest.raises(PermissionDenied):
        notes.add(db, as_("rita"), lead, "read only")
    with pytest.raises(NotFound):
        notes.add(db, as_("otto"), lead, "not my lead")
    with pytest.raises(MandatoryParameterMissing):
        notes.add(db, as_("sam"), lead, "   ")
    assert notes.of_lead(db, lead) == []
