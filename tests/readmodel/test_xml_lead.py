"""The XML face's one-statement read writes exactly the ``<lead>`` texts its ORM reference
(``representation.views``) writes: the demo's leads and random ones, pages, one lead, a
salesman's sight, every is_engaged value."""

from __future__ import annotations

import random

from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.xmlapi import representation


def _reference(db, actor, offset=0, limit=None) -> list[dict[str, str]]:
    db.expire_all()
    rows = queries.find(db, actor, LeadFilter(), offset=offset, limit=limit)
    return representation.views(db, rows)


def _engaged_in_turn(db) -> None:
    """Gives the leads every is_engaged a client may have written (none, 0, 1)."""
    for i, lead in enumerate(db.scalars(select(m.Lead).order_by(m.Lead.number))):
        lead.is_engaged = (None, False, True)[i % 3]
    db.flush()


def test_demo_leads_are_written_alike(db, admin):
    _engaged_in_turn(db)
    new = representation.listed(db, admin, 0, 1000)
    assert len(new) >= 16
    assert new == _reference(db, admin)


def test_random_leads_and_pages_are_written_alike(db, admin, random_leads):
    _engaged_in_turn(db)
    for offset, limit in ((0, 20), (7, 13), (40, 100), (0, 1000)):
        new = representation.listed(db, admin, offset, limit)
        assert new == _reference(db, admin, offset, limit)
    assert len(representation.listed(db, admin, 0, 1000)) >= random_leads


def test_one_lead_is_written_alike(db, admin, random_leads):
    rnd = random.Random(5)
    numbers = list(db.scalars(select(m.Lead.number)))
    for number in rnd.sample(numbers, 30):
        lead = db.scalar(select(m.Lead).where(m.Lead.number == number))
        assert representation.shown(db, admin, str(number)) == representation.views(db, [lead])[0]
        assert representation.lead_view(db, admin, lead) == representation.views(db, [lead])[0]


def test_a_salesman_reads_only_his_leads_alike(db, admin, random_leads):
    unit = db.scalars(select(m.Unit).where(m.Unit.group_id.is_not(None))).first()
    user = m.User(username="xml-reader", role=m.Role.SALES, unit=unit)
    db.add(user)
    db.flush()
    actor = Actor(user=user, unit=unit)
    new = representation.listed(db, actor, 0, 1000)
    everything = representation.listed(db, admin, 0, 1000)
    assert new == _reference(db, actor) and len(new) < len(everything)
