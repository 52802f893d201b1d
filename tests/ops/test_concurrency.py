"""Parallel writers never lose a write silently: each change lands or is refused; parallel
creates each get a number of their own, without waiting for each other."""

import multiprocessing

import pytest
from sqlalchemy import select

from leadbook.db import make_engine, make_sessionmaker
from leadbook.domain import leads as domain
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.errors import Conflict
from leadbook.models import Contact, Lead, LeadEvent, LeadType, User
from tests.conftest import BACKEND

WRITERS = 6


def _writer(url: str, index: int, barrier, results) -> None:
    """Reads lead 69, waits for every writer to have read it, then writes."""
    factory = make_sessionmaker(make_engine(url))
    db = factory()
    try:
        user = db.scalar(select(User).where(User.username == "mpadministrator"))
        lead = db.scalar(select(Lead).where(Lead.number == 69))
        seen = lead.version
        barrier.wait()
        domain.update(
            db,
            Actor(user, user.unit),
            lead,
            LeadChanges(values={"description": f"writer {index}"}),
            expected_version=seen,
        )
        db.commit()
        results.put((index, "ok"))
    except Conflict:
        db.rollback()
        results.put((index, "conflict"))
    finally:
        db.close()


@pytest.mark.skipif(BACKEND != "postgres", reason="parallel processes need PostgreSQL")
def test_parallel_updates_of_one_lead(db, demo, database_url):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WRITERS), ctx.Queue()
    workers = [
        ctx.Process(target=_writer, args=(database_url, i, barrier, results))
        for i in range(WRITERS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    outcomes = dict(results.get(timeout=5) for _ in range(WRITERS))
    winners = [i for i, outcome in outcomes.items() if outcome == "ok"]
    assert len(winners) == 1 and list(outcomes.values()).count("conflict") == WRITERS - 1
    db.rollback()
    db.expire_all()
    lead = db.scalar(select(Lead).where(Lead.number == 69))
    assert lead.description == f"writer {winners[0]}" and lead.version == 2
    updates = db.scalars(
        select(LeadEvent).where(LeadEvent.lead_number == 69, LeadEvent.action == "update")
    ).all()
    assert len(updates) == 1  # the trail holds exactly the write that landed


def test_a_stale_version_is_refused(db, demo):
    user = db.scalar(select(User).where(User.username == "mpadministrator"))
    lead = db.scalar(select(Lead).where(Lead.number == 69))
    with pytest.raises(Conflict):
        domain.update(
            db,
            Actor(user, user.unit),
            lead,
            LeadChanges(values={"description": "late"}),
            expected_version=0,
        )


CREATORS, CREATES = 4, 5


def _creator(url: str, barrier, results) -> None:
    """Waits for every creator, then creates CREATES leads, each committed at once."""
    factory = make_sessionmaker(make_engine(url))
    with factory() as db:
        user = db.scalar(select(User).where(User.username == "mpadministrator"))
        lead_type = db.scalar(select(LeadType).where(LeadType.name == "New Customer"))
        contact = db.scalar(select(Contact).where(Contact.number == "CI000002"))
        barrier.wait()
        numbers = []
        for _ in range(CREATES):
            values = {"type": lead_type, "importance": "IMPORTANCE3", "priority": 2}
            changes = LeadChanges(
                values={**values, "contact": contact}, source=Source(type="WEBSITE", name="t")
            )
            numbers.append(domain.create(db, Actor(user, user.unit), changes).number)
            db.commit()
        results.put(numbers)


@pytest.mark.skipif(BACKEND != "postgres", reason="parallel processes need PostgreSQL")
def test_parallel_creates_each_get_a_number_of_their_own(db, demo, database_url):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(CREATORS), ctx.Queue()
    workers = [
        ctx.Process(target=_creator, args=(database_url, barrier, results)) for _ in range(CREATORS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    taken = [results.get(timeout=5) for _ in range(CREATORS)]
    assert all(numbers == sorted(numbers) for numbers in taken)  # each creator's go up
    numbers = sorted(n for numbers in taken for n in numbers)
    assert len(set(numbers)) == CREATORS * CREATES
    assert numbers == list(range(numbers[0], numbers[0] + CREATORS * CREATES))  # no gap
    db.rollback()
    stored = db.scalars(select(LeadEvent.lead_number).where(LeadEvent.action == "create"))
    assert set(numbers) <= set(stored)  # each with its create event
