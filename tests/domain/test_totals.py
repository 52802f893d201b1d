"""The lead totals the database keeps (models/totals.py) answer the board's totals and the
list's count exactly as reading the leads does, whatever the writes."""

from __future__ import annotations

import importlib
import random

import pytest
from sqlalchemy import delete, func, select, text

from leadbook import models as m
from leadbook.domain import queries, totals
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter, narrowed
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.models import Role
from leadbook.models import totals as triggers


def _copy(lead: m.Lead, number: int) -> m.Lead:
    """A new lead with ``lead``'s columns (a new id and number)."""
    values = {
        column.key: getattr(lead, column.key)
        for column in m.Lead.__table__.columns
        if column.key not in ("id", "number", "merged_into_id")
    }
    return m.Lead(**values, number=number)


def _born(db, rng: random.Random, leads: list[m.Lead], count: int) -> list[m.Lead]:
    """``count`` new leads, copies of some of ``leads``."""
    top = db.scalar(select(m.Lead.number).order_by(m.Lead.number.desc()).limit(1))
    born = [_copy(rng.choice(leads), top + i + 1) for i in range(count)]
    db.add_all(born)
    db.flush()
    return born


def _shake(db, rng: random.Random, users, levels, statuses, leads: list[m.Lead]) -> None:
    """Random writes: new leads, reassignments, moves, new types, amounts and
    probabilities, privacy levels, merges and their undoing, deletes."""
    born = _born(db, rng, leads, 15)
    kinds = list(db.scalars(select(m.LeadType)))
    for lead in rng.sample(leads, min(60, len(leads))):
        lead.assigned_user_id = rng.choice(users).id if rng.random() > 0.2 else None
        status = rng.choice(statuses)
        lead.type_id, lead.status_id = rng.choice(kinds).id, status.id
        lead.life_cycle_state = status.life_cycle_state
        lead.target_amount = rng.choice([None, 0.0, 100.0, 2500.0, float(rng.randrange(9000))])
        lead.probability_to_win = rng.choice([None, 0.0, 10.0, 50.0, 90.0])
        lead.privacy_level_id = rng.choice(levels).id if rng.random() > 0.3 else None
        if rng.random() < 0.1:
            lead.merged_into_id = rng.choice(leads).id if lead.merged_into_id is None else None
        db.flush()
    for lead in rng.sample(born, 6):
        db.delete(lead)
    db.flush()


def _filters(types, me: m.User) -> list[LeadFilter]:
    return [
        LeadFilter(type=kind, assigned_user=owner, states=states)
        for kind in [None, *types]
        for owner in (None, me)
        for states in (None, OPEN_STATES, ())
    ]


def _approx(found: dict[str, totals.Totals]) -> dict:
    return {
        status: (
            t.count,
            pytest.approx(t.amount),
            None if t.weighted is None else pytest.approx(t.weighted),
        )
        for status, t in found.items()
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_answers_as_the_leads_do(db, admin, seed):
    rng = random.Random(seed)
    users = list(db.scalars(select(m.User)))
    db.add_all(
        m.PrivacyLevel(number=f"T{i}", name=f"Totals {i}", hierarchy_level=i) for i in (5, 9)
    )
    db.flush()
    levels = list(db.scalars(select(m.PrivacyLevel).order_by(m.PrivacyLevel.hierarchy_level)))
    statuses = list(db.scalars(select(m.LeadStatus)))
    types = list(db.scalars(select(m.LeadType)))
    leads = list(db.scalars(select(m.Lead)))
    leads += _born(db, rng, leads, 40)
    sales = db.scalar(select(m.User).where(m.User.username == "mariosm"))
    sales.role = Role.SALES
    sales.clearance = levels[len(levels) // 2]  # some levels above it, some below
    db.flush()
    salesman = Actor(user=sales, unit=sales.unit, via="test")
    users += [sales] * 3  # the salesman's own leads: many
    for _ in range(3):
        _shake(db, rng, users, levels, statuses, leads)
        for actor in (admin, salesman):
            for f in _filters(types, actor.user):
                answers = actor is admin or f.assigned_user is sales
                assert (queries.summary(select(m.LeadTotal), actor, f) is not None) == answers
                kept = totals.by_status(db, actor, f)
                assert _approx(kept) == _approx(totals.scanned(db, actor, f))
                scan = narrowed(select(func.count()).select_from(m.Lead), actor, f)
                assert queries.count(db, actor, f) == db.scalar(scan)
    mine = LeadFilter(assigned_user=sales)
    assert queries.count(db, salesman, mine) > 0  # the salesman's own leads were compared


def test_a_filter_the_summary_cannot_answer_is_counted(db, admin, demo):
    sales = db.scalar(select(m.User).where(m.User.username == "mariosm"))
    salesman = Actor(user=sales, unit=sales.unit, via="test")
    everyone = LeadFilter()
    assert queries.summary(select(m.LeadTotal), admin, LeadFilter(priority=1)) is None
    if sales.role != Role.ADMIN:  # everyone's leads: the rule's other arms
        assert queries.summary(select(m.LeadTotal), salesman, everyone) is None
    assert queries.summary(select(m.LeadTotal), admin, everyone) is not None


def test_the_migration_fills_what_the_triggers_keep(db, admin):
    """The first fill (migration 0026: ``fill_sql``) gives the rows the triggers made."""
    rng = random.Random(7)
    users = list(db.scalars(select(m.User)))
    levels = list(db.scalars(select(m.PrivacyLevel)))
    leads = list(db.scalars(select(m.Lead)))
    _shake(db, rng, users, levels, list(db.scalars(select(m.LeadStatus))), leads)
    rows = "SELECT * FROM lead_totals WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5"

    def kept() -> list:
        return [
            tuple(float(v) if isinstance(v, float) else v for v in r)
            for r in db.execute(text(rows))
        ]

    by_triggers = kept()
    db.execute(delete(m.LeadTotal))
    db.execute(text(triggers.fill_sql()))
    assert kept() == by_triggers and by_triggers
    migration = importlib.import_module("leadbook.migrations.versions.0026_lead_totals")
    assert triggers.fill_sql() == migration.FILL
    assert triggers.statements("postgresql") == migration.POSTGRESQL
    assert triggers.statements("sqlite") == migration.SQLITE


@pytest.mark.parametrize("cap", [1, 5, 10_000])
def test_capped_totals_are_the_scans_up_to_the_cap(db, admin, cap, monkeypatch):
    """A filter the summary cannot answer: each column read from at most COUNTED + 1 leads
    is the scan's when it holds at most COUNTED, else says more (COUNTED, not summed)."""
    monkeypatch.setattr(queries, "COUNTED", cap)
    rng = random.Random(cap)
    users = list(db.scalars(select(m.User)))
    statuses = list(db.scalars(select(m.LeadStatus)))
    leads = list(db.scalars(select(m.Lead)))
    _shake(db, rng, users, list(db.scalars(select(m.PrivacyLevel))), statuses, leads)
    sales = db.scalar(select(m.User).where(m.User.username == "mariosm"))
    sales.role = Role.SALES
    db.flush()
    salesman = Actor(user=sales, unit=sales.unit, via="test")
    seen = 0
    for actor in (admin, salesman):
        for f in (LeadFilter(importance="IMPORTANCE3"), LeadFilter(priority=1)):
            scanned = totals.scanned(db, actor, f)
            capped = totals.by_status(db, actor, f, statuses)
            assert capped.keys() == scanned.keys()
            for status, whole in scanned.items():
                if whole.count > cap:
                    assert capped[status] == totals.Totals(cap, more=True)
                else:
                    assert _approx({status: capped[status]}) == _approx({status: whole})
                seen += whole.count
    assert seen > 0
