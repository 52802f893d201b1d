"""One timeline per lead: notes, activities and changes, newest first, in words naming
users, units and statuses, never their ids."""

from __future__ import annotations

from datetime import timedelta

from leadbook.domain import clock, leads, lifecycle
from leadbook.domain.changes import LeadChanges
from leadbook.domain.workflow import activities, notes, timeline
from leadbook.domain.workflow.activities import NewActivity
from tests.workflow.conftest import NOW


def test_the_timeline_words_changes_and_mixes_notes_and_activities(db, lead, as_, users, frozen):
    boss = as_("boss")
    notes.add(db, boss, lead, "Met at the fair")
    clock.freeze(NOW + timedelta(minutes=1))
    lifecycle.start_progress(db, boss, lead)
    clock.freeze(NOW + timedelta(minutes=2))
    leads.update(db, boss, lead, LeadChanges({"assigned_user": users["sam"]}))
    clock.freeze(NOW + timedelta(minutes=3))
    activities.log(db, boss, lead, NewActivity("call", "Price talk", NOW + timedelta(days=1)))
    entries = timeline.of_lead(db, lead)
    assert [e.kind for e in entries[:5]] == ["activity", "change", "change", "change", "note"]
    call, assign, _update, move, note = entries[:5]
    assert assign.title == "Assigned"
    assert call.title == "Call: Price talk" and "Open" in call.lines
    assert "Assigned user: mpadministrator → sam" in assign.lines
    assert move.title == "Started progress" and move.lines == [
        "Life cycle state: Pending → In Progress",
        "Status: Reach → Learn",
    ]
    assert (move.who, move.unit) == ("Boss", "Sales Unit")
    assert note.lines == ["Met at the fair"] and note.who == "Boss"
    worded = " ".join(line for e in entries for line in e.lines)
    assert lead.status_id not in worded and users["sam"].id not in worded
