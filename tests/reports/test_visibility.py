"""A report counts what its caller sees, by the one visibility rule (access.visible) read
over the copy of the lead's columns its rows carry (domain/audience.py): the copy follows
every change (reassignment, privacy level, owning group, deletion), and a salesman's
figures equal the same report computed by joining the leads."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import case, func, select

from leadbook import models as m
from leadbook.domain import access, audience, changes, leads, queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.domain.reports import activity, durations, funnel
from leadbook.domain.reports.filters import ReportFilter
from tests.domain.test_reports import History, craft


@pytest.fixture
def actor(db, demo):
    return Actor(db.scalar(select(m.User).where(m.User.username == "mpadministrator")), None)


@pytest.fixture
def changed(db, actor) -> History:
    """The crafted history (leads 0-2 mariosm's; 0 and 1 won), then: lead 6 reassigned to
    him, lead 7 owned by his group, lead 8 listing him, lead 2 made secret, lead 1
    deleted."""
    history = craft(db, actor)
    seller, made = history.salesman, history.leads
    secret = m.PrivacyLevel(number="90", name="Secret", hierarchy_level=5)
    db.add(secret)
    db.flush()
    edits = {
        6: changes.LeadChanges(values={"assigned_user": seller}),
        7: changes.LeadChanges(values={"owned_by_group": seller.unit.group}),
        8: changes.LeadChanges(users=changes.SetEdit(add=[seller])),
        2: changes.LeadChanges(values={"privacy_level": secret}),
    }
    for index, edit in edits.items():
        leads.update(db, actor, made[index], edit)
    leads.delete(db, actor, made[1])
    db.flush()
    return history


def _copies(db, model) -> list[tuple]:
    columns = [getattr(model, key) for key in audience.COPIED]
    return list(db.execute(select(model.lead_id, *columns)))


def test_every_stay_and_event_carries_its_leads_columns(db, changed):
    now = {lead.id: audience.of(lead) for lead in db.scalars(select(m.Lead))}
    gone = changed.leads[1].id
    for model in (m.LeadStage, m.LeadEvent):
        rows = _copies(db, model)
        assert rows, model
        for lead_id, *copy in rows:
            expected = dict.fromkeys(audience.COPIED) if lead_id == gone else now[lead_id]
            assert dict(zip(audience.COPIED, copy, strict=True)) == expected, model
    moved = [copy for lead_id, *copy in _copies(db, m.LeadEvent) if lead_id == changed.leads[6].id]
    assert {copy[0] for copy in moved} == {changed.salesman.id}  # the older events followed


def _joined(db, seller: Actor, history: History) -> tuple[Counter, Counter, Counter]:
    """The salesman's funnel, stays ended per status and activity, by joining the leads."""
    stage, event, lead = m.LeadStage, m.LeadEvent, m.Lead
    seen = access.visible(seller)
    typed = (stage.type_id == history.lead_type.id, lead.id == stage.lead_id, seen)
    entered = select(stage.status_id, func.count()).where(*typed, stage.first.is_(True))
    ended = select(stage.status_id, func.count()).where(*typed, stage.left_at.is_not(None))
    done = select(event.username, event.action, func.count()).where(lead.id == event.lead_id, seen)
    found = []
    for query in (entered, ended, done):
        grouped = query.group_by(*query.selected_columns[:-1])
        found.append(Counter({tuple(row[:-1]): row[-1] for row in db.execute(grouped)}))
    return found[0], found[1], found[2]


def test_a_salesmans_reports_count_what_he_sees_as_the_join_would(db, changed):
    seller = Actor(changed.salesman, changed.salesman.unit)
    f = ReportFilter(lead_type=changed.lead_type)
    entered, ended, done = _joined(db, seller, changed)
    statuses = {s.id: s.name for s in changed.lead_type.statuses}
    shown = funnel.funnel(db, seller, f)
    counts = {s.status: s.leads for s in shown.stages} | shown.exits
    assert counts == {statuses[k]: entered.get((k,), 0) for k in statuses}
    # leads 0 (his, won), 6 (reassigned), 7 (his group's), 8 (listed); 2 secret, 1 deleted
    assert counts["Reach"] == 4 and counts["Interest"] == counts["Won"] == 1
    times = {s.status: s.time.count for s in durations.time_in_status(db, seller, f)}
    assert times == {statuses[k]: ended.get((k,), 0) for k in statuses}
    rows = activity.activity(db, seller, ReportFilter())
    assert {(r.username, a): n for r in rows for a, n in r.actions.items()} == {
        key: n for key, n in done.items()
    }
    assert sum(r.changes for r in rows) == sum(done.values()) > 0


def test_reports_and_lists_apply_the_same_rule(db, changed, monkeypatch):
    seller = Actor(changed.salesman, changed.salesman.unit)
    arms, calls = access._arms, []

    def spy(v, lead):
        calls.append(lead)
        return arms(v, lead)

    monkeypatch.setattr(access, "_arms", spy)
    f = ReportFilter(lead_type=changed.lead_type)
    listed = queries.count(db, seller, LeadFilter(type=changed.lead_type))
    funnel.funnel(db, seller, f)
    durations.time_in_status(db, seller, f)
    activity.activity(db, seller, ReportFilter())
    assert calls == [
        access.LEAD,
        access.copied(m.LeadStage),
        access.copied(m.LeadStage),
        access.copied(m.LeadEvent),
    ]
    assert listed == 4  # the leads the funnel's Reach counted


@pytest.mark.parametrize("username", ["mariosm", "Smanager", "emichailidou"])
def test_the_rules_parts_hold_each_seen_row_once(db, changed, username):
    user = db.scalar(select(m.User).where(m.User.username == username))
    who = Actor(user, user.unit)
    lead = access.copied(m.LeadEvent)
    met = sum(case((part, 1), else_=0) for part in access.parts(who, lead))
    rows = db.execute(select(m.LeadEvent.id, met, case((access.visible(who, lead), 1), else_=0)))
    found = Counter((parts, seen) for _id, parts, seen in rows)
    assert set(found) <= {(0, 0), (1, 1)} and found[1, 1] > 0, found
