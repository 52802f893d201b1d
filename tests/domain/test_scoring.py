"""Scores: field rules, recency and decay against a controlled clock, kept with every
write (one UPDATE, the version moving by one), recomputed for open leads, explained."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import changes, clock, leads, lifecycle, scoring
from leadbook.domain.errors import InvalidValue
from leadbook.models import LifeCycleState
from leadbook.refdata import config
from tests.domain.test_rules import _changes

T0 = datetime(2031, 3, 2, 9, 0, 0)


@pytest.fixture
def at():
    """Moves the clock: ``at(days)`` is T0 plus that many days."""

    def move(days: float = 0) -> datetime:
        moment = T0 + timedelta(days=days)
        clock.freeze(moment)
        return moment

    move()
    yield move
    clock.freeze(None)


@pytest.fixture
def rules(db):
    config.apply(
        db,
        {
            "scoring_rules": [
                {"name": "High priority", "conditions": {"priority": 2}, "points": 10},
                {"name": "New customers", "conditions": {"type": "new customer"}, "points": 5},
                {
                    "name": "From the web",
                    "conditions": {"source_type": ["WEBSITE", "EMAIL"]},
                    "points": 3,
                    "position": 1,
                },
                {"name": "Fresh", "kind": "recency", "days": 3, "points": 20},
                {"name": "Going stale", "kind": "decay", "days": 7, "points": -2},
            ]
        },
    )


def test_a_new_lead_is_scored_by_the_rules_it_meets(db, actor, at, rules):
    lead = leads.create(db, actor, _changes(db))
    assert lead.score == 10 + 5 + 3 + 20
    stored = db.scalar(select(m.Lead.score).where(m.Lead.id == lead.id))
    assert stored == lead.score


def test_a_change_rescores_in_the_same_update(db, actor, at, rules):
    lead = leads.create(db, actor, _changes(db))
    at(1)
    leads.update(db, actor, lead, changes.LeadChanges(values={"priority": 4}))
    assert lead.score == 5 + 3 + 20 and lead.version == 2
    assert db.scalar(select(m.Lead.score).where(m.Lead.id == lead.id)) == 28


def test_recency_ends_and_decay_counts_idle_days_past_its_grace(db, actor, at, rules):
    lead = leads.create(db, actor, _changes(db))
    active = scoring.active_rules(db)
    assert scoring.score(lead, active, at(2.9)) == 38  # touched 2 days ago: still fresh
    assert scoring.score(lead, active, at(3)) == 18
    assert scoring.score(lead, active, at(7.5)) == 18  # 7 idle days: no decay yet
    assert scoring.score(lead, active, at(10)) == 18 - 2 * 3


def test_explain_names_each_rule_and_what_it_gave(db, actor, at, rules):
    lead = leads.create(db, actor, _changes(db))
    parts = scoring.explain(lead, scoring.active_rules(db), at(9))
    assert [(p.rule, p.points) for p in parts] == [
        ("From the web", 3),  # by position, then name; Fresh gives nothing after 3 days
        ("Going stale", -4),
        ("High priority", 10),
        ("New customers", 5),
    ]
    assert "source_type = ['WEBSITE', 'EMAIL']" in parts[0].reason
    assert parts[1].reason == "2 idle day(s) beyond 7 × -2"


def test_recompute_moves_open_leads_only_and_is_no_change(db, actor, at, rules):
    open_lead = leads.create(db, actor, _changes(db))
    won = leads.create(db, actor, _changes(db))
    lifecycle.move_to(db, actor, won, LifeCycleState.IN_PROGRESS)
    lifecycle.move_to(db, actor, won, LifeCycleState.WON)
    versions = (open_lead.version, won.version)
    at(12)
    assert scoring.recompute(db) >= 1
    query = select(m.Lead.id, m.Lead.score).where(m.Lead.id.in_([open_lead.id, won.id]))
    scores = {key: value for key, value in db.execute(query)}
    assert scores == {open_lead.id: 18 - 2 * 5, won.id: 38}
    db.expire_all()
    assert (open_lead.version, won.version) == versions


def test_rules_are_checked_field_by_field(db):
    bad = [
        ({"name": "x", "kind": "bonus"}, "scoring_rules[0].kind"),
        ({"name": "x", "points": 10**6}, "scoring_rules[0].points"),
        ({"name": "x", "kind": "decay", "days": -1, "points": -1}, "scoring_rules[0].days"),
        ({"name": "x", "conditions": {"colour": "red"}}, "scoring_rules[0].conditions"),
        ({"name": "x", "kind": "recency", "points": 5}, "scoring_rules[0].days"),
        ({"name": "x", "points": "many"}, "scoring_rules[0].points"),
    ]
    for row, field in bad:
        with pytest.raises(InvalidValue) as refused:
            config.apply(db, {"scoring_rules": [row]})
        assert refused.value.field == field, (row, refused.value.message)
        db.rollback()
    assert db.scalar(select(m.ScoringRule)) is None


def test_rules_round_trip_through_export(db, rules):
    exported = config.export(db, [config.BY_NAME["scoring_rules"]])["scoring_rules"]
    assert {r["name"]: r["kind"] for r in exported}["Going stale"] == "decay"
    assert config.apply(db, {"scoring_rules": exported}).unchanged == {"scoring_rules": 5}
