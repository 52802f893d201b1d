"""The one-statement read path writes exactly the lead_complete objects the ORM serialiser
(the reference) writes: same keys in the same order, same types (1 is not 1.0, True is
not 1), same values, for the demo data and random leads, one lead and pages, any
fields_set, any visibility."""

from __future__ import annotations

import random
from datetime import timedelta

import orjson
import pytest
from sqlalchemy import func, select

from leadbook import models as m
from leadbook.crmcom import complete, serialize
from leadbook.domain import access, queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.readmodel import read
from tests.readmodel.conftest import NOW

FIELD_CHOICES = [
    None,
    ("number",),
    ("time_overdue", "number", "time_to_completion", "number"),
    ("products_set", "services_set", "physical_goods_set", "lead_source", "id"),
    ("contact_information", "accounts_receivable", "estimated_completion_time"),
    ("udf_float_1", "target_amount", "probability_to_win", "udf_date_2", "log_information"),
]


def same(new, old, path: str = "lead") -> None:
    """Asserts ``new`` equals ``old`` exactly: types, key order and values."""
    assert type(new) is type(old), f"{path}: {new!r} ({type(new).__name__}) != {old!r}"
    if isinstance(old, dict):
        assert list(new) == list(old), f"{path}: keys {list(new)} != {list(old)}"
        for key in old:
            same(new[key], old[key], f"{path}.{key}")
    elif isinstance(old, list):
        assert len(new) == len(old), f"{path}: {len(new)} items != {len(old)}"
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            same(a, b, f"{path}[{i}]")
    else:
        assert new == old, f"{path}: {new!r} != {old!r}"


def test_same_tells_apart_what_equality_does_not():
    for new, old in [(1, 1.0), (True, 1), ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ("1", 1)]:
        with pytest.raises(AssertionError):
            same(new, old)


def _reference(db, actor, keys, f=None, **paging) -> list[dict]:
    db.expire_all()
    rows = queries.find(db, actor, f or LeadFilter(), **paging)
    return [
        serialize.project(serialize.lead(row, NOW), list(keys) if keys else None) for row in rows
    ]


def _read(db, actor, keys, f=None, **paging) -> list[dict]:
    shape = complete.LEAD.only(keys)
    return read.page(db, actor, shape, f or LeadFilter(), NOW, **paging)


def _compare(db, actor, keys, f=None, **paging) -> int:
    new, old = _read(db, actor, keys, f, **paging), _reference(db, actor, keys, f, **paging)
    same(new, old, "page")
    assert orjson.dumps(new) == orjson.dumps(old)
    return len(old)


@pytest.mark.parametrize("keys", FIELD_CHOICES)
def test_demo_leads_are_written_alike(db, admin, keys):
    assert _compare(db, admin, keys) >= 16


def test_each_demo_lead_shown_alone_is_written_alike(db, admin):
    for lead in db.scalars(select(m.Lead)):
        new = read.one(db, admin, complete.LEAD, m.Lead.number == lead.number, NOW)
        same(new, serialize.lead(lead, NOW), f"lead {lead.number}")
    assert read.one(db, admin, complete.LEAD, m.Lead.number == -1, NOW) is None


def test_random_leads_are_written_alike(db, admin, random_leads):
    assert _compare(db, admin, None) >= random_leads
    rnd = random.Random(7)
    for _ in range(8):
        keys = tuple(rnd.choices(serialize.FIELDS, k=rnd.randint(1, 8)))
        _compare(db, admin, tuple(dict.fromkeys(keys)))
    for lead in db.scalars(select(m.Lead).where(m.Lead.number >= 500000)):
        for moment in (NOW, NOW + timedelta(days=400), NOW - timedelta(days=800)):
            new = read.one(db, admin, complete.LEAD, m.Lead.id == lead.id, moment)
            same(new, serialize.lead(lead, moment), f"lead {lead.number} at {moment}")


PAGES = [
    ("number", False, 0, 20),
    ("priority", True, 5, 7),
    ("target_amount", False, 30, 50),
    ("expected_completion_date", True, 0, None),
    ("updated_date", False, 90, 20),
]


def test_random_pages_are_written_alike(db, admin, random_leads):
    for sort, descending, offset, limit in PAGES:
        paging = {"sort": sort, "descending": descending, "offset": offset, "limit": limit}
        _compare(db, admin, ("number", "priority", "target_amount"), **paging)
        _compare(db, admin, None, **paging)


def test_filtered_pages_are_written_alike(db, admin, random_leads):
    kind = db.scalars(select(m.LeadType)).first()
    filters = [
        LeadFilter(states=("PENDING", "IN_PROGRESS")),
        LeadFilter(type=kind, priority=3),
        LeadFilter(overdue_at=NOW),
        LeadFilter(due_between=(NOW, NOW + timedelta(days=90))),
        LeadFilter(text="b"),
        LeadFilter(importance="NONE"),
    ]
    for f in filters:
        _compare(db, admin, None, f)
    assert _compare(db, admin, None, LeadFilter(importance="NONE")) == 0


def test_the_leads_a_user_sees_are_the_same(db, random_leads):
    unit = db.scalars(select(m.Unit).where(m.Unit.group_id.is_not(None))).first()
    level = db.scalar(select(m.PrivacyLevel).where(m.PrivacyLevel.number == "RPL1"))
    everything = db.scalar(select(func.count()).select_from(m.Lead))
    for role in (m.Role.SALES, m.Role.MANAGER, m.Role.READ_ONLY):
        user = m.User(username=f"reader-{role}", role=role, unit=unit, clearance=level)
        db.add(user)
        db.flush()
        actor = Actor(user=user, unit=unit)
        assert 0 < _compare(db, actor, None) < everything
        hidden = db.scalar(select(m.Lead.number).where(~access.visible(actor)).limit(1))
        assert read.one(db, actor, complete.LEAD, m.Lead.number == hidden, NOW) is None
