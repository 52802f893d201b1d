"""The scoring rules a write uses are cached per process under their generation: a write
of unchanged rules reads none, and a change made by another process (another engine, its
own connections) is honoured by this process's next write, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.db import make_engine
from leadbook.domain import identifiers, leads
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges
from leadbook.refdata import config
from leadbook.refdata import demo as demo_data
from tests.crmcom.conftest import ok
from tests.crmcom.test_statement_counts import _created
from tests.statements import count_statements


def _score(engine, number: str) -> int:
    with Session(engine) as session:
        return session.scalar(select(m.Lead.score).where(m.Lead.number == int(number)))


def _elsewhere(database_url: str, document: dict) -> None:
    """Applies ``document`` as another process would: through an engine of its own."""
    other = make_engine(database_url)
    try:
        with Session(other) as session:
            config.apply(session, document)
            session.commit()
    finally:
        other.dispose()


@pytest.mark.committed_db
def test_a_rules_change_elsewhere_is_honoured_by_the_next_write(api, engine, database_url):
    earlier = _created(api)  # the first write of the process reads the rules
    with count_statements() as sent:
        before = _created(api)
    assert not [s for s in sent if "scoring_rules" in s], str(sent)
    _elsewhere(database_url, {"scoring_rules": [{"name": "Every lead", "points": 7}]})
    with count_statements() as sent:
        after = _created(api)
    assert [s for s in sent if "FROM scoring_rules" in s], str(sent)  # read once again
    assert _score(engine, after) == _score(engine, before) + 7
    ok(api.post("update", {"lead_identifier": {"number": earlier}, "description": "x"}))
    assert _score(engine, earlier) == _score(engine, before) + 7
    _elsewhere(database_url, {"scoring_rules": [{"name": "Every lead", "is_active": False}]})
    ok(api.post("update", {"lead_identifier": {"number": earlier}, "description": "y"}))
    assert _score(engine, earlier) == _score(engine, before)


@pytest.mark.committed_db
def test_a_rule_changed_without_its_generation_is_not_read(api, engine, database_url):
    """The cache is what a write uses: a row changed behind the domain's back (no
    generation moved) is not seen until the generation moves."""
    _elsewhere(database_url, {"scoring_rules": [{"name": "Every lead", "points": 7}]})
    seven = _created(api)
    with engine.begin() as conn:
        conn.execute(update(m.ScoringRule).values(points=1007).where(m.ScoringRule.points == 7))
    assert _score(engine, _created(api)) == _score(engine, seven)
    _elsewhere(database_url, {"scoring_rules": [{"name": "Every lead", "points": 9}]})
    assert _score(engine, _created(api)) == _score(engine, seven) + 2


@pytest.mark.committed_db
def test_any_face_s_locked_lead_read_brings_the_generation(api, engine):
    """A write through the domain (the web's, the XML API's) reads the generation with its
    lead (``queries.one``, locked) and so no rules either, once its process holds them."""
    number = _created(api)  # this process now holds the rules of the current generation
    with Session(engine) as session:
        user = session.scalar(select(m.User).where(m.User.username == demo_data.ADMIN))
        actor = Actor(user=user, unit=user.unit, via="test")
        with count_statements() as sent:
            lead = identifiers.lead(session, actor, {"number": number}, lock=True)
            leads.update(session, actor, lead, LeadChanges(values={"description": "z"}))
        session.commit()
    assert "rules_generation" in sent[0], str(sent)
    assert not [s for s in sent if "FROM scoring_rules" in s], str(sent)


@pytest.mark.committed_db
def test_assignment_rules_are_cached_under_the_same_generation(api, database_url):
    """A create of unchanged rules reads no assignment rules; a rule added by another
    process is honoured by this process's next create."""
    _created(api)
    with count_statements() as sent:
        _created(api)
    assert not [s for s in sent if "assignment_rules" in s], str(sent)
    rule = {"name": "Web to Marios", "position": 1, "user": "mariosm"}
    _elsewhere(database_url, {"assignment_rules": [{**rule, "conditions": {}}]})
    number = _created(api)
    shown = ok(api.get("show", lead_identifier=f"number={number}"))
    assert shown["assigned_to"]["user"]["username"] == "mariosm"
