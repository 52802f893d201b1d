"""Token-checked reads compiled once per shape (readmodel.compiled): the cache tells
shapes apart (fields_set, dialect, the column naming the lead, the filters set), a request
of a shape seen before reuses its statement, the caller's check and visibility are in
it, and what it reads is exactly what the ORM serialiser writes."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
from sqlalchemy import bindparam, create_engine, func, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.crmcom import complete, serialize
from leadbook.domain import access, filters
from leadbook.domain.actor import Actor
from leadbook.readmodel import compiled, read
from tests.readmodel.conftest import NOW
from tests.readmodel.test_lead_complete import _reference, same

KEYS = [None, ("number",), ("contact_information", "products_set", "time_overdue")]


def _viewing(db, user: m.User):
    return tokens.viewing(tokens.issue(db, user, ttl_seconds=3600))


def test_a_lead_is_read_as_the_serialiser_writes_it(db, admin, random_leads):
    viewer, admits, params = _viewing(db, admin.user)
    db.expire_all()  # the sets reloaded in their order, as the serialiser reads them
    rows = list(db.scalars(select(m.Lead).where(filters.LIVE).order_by(m.Lead.number)))
    for i, row in enumerate(rows[:40]):
        keys = KEYS[i % len(KEYS)]
        column, value = ("number", row.number) if i % 2 else ("id", row.id)
        shape = complete.LEAD.only(keys)
        found = read.named(db, viewer, shape, (column, value), NOW, admits, params)
        old = serialize.project(serialize.lead(row, NOW), list(keys) if keys else None)
        same(found, orjson.loads(orjson.dumps(old)))  # as sent: an enum is its text
        assert orjson.dumps(found) == orjson.dumps(old)


def test_a_page_is_read_as_the_serialiser_writes_it(db, admin, random_leads):
    viewer, admits, params = _viewing(db, admin.user)
    kind = db.scalars(select(m.LeadType)).first()
    wanted = [
        filters.LeadFilter(),
        filters.LeadFilter(type=kind, priority=3),
        filters.LeadFilter(type=kind, priority=5),  # the same shape, other values
        filters.LeadFilter(states=("PENDING", "IN_PROGRESS")),
        filters.LeadFilter(importance="NONE"),
    ]
    for f in wanted:
        for keys, offset, limit in [(None, 0, 20), (("number",), 3, 5), (None, 0, None)]:
            paging = {"offset": offset, "limit": limit}
            found = read.page(
                db, viewer, complete.LEAD.only(keys), f, NOW, admits=admits, params=params, **paging
            )
            same(found, _reference(db, admin, keys, f, **paging), "page")


def test_a_reader_sees_only_what_the_rule_lets_it(db, random_leads):
    unit = db.scalars(select(m.Unit).where(m.Unit.group_id.is_not(None))).first()
    user = m.User(username="reader", role=m.Role.SALES, unit=unit)
    db.add(user)
    db.flush()
    actor = Actor(user=user, unit=unit)
    viewer, admits, params = _viewing(db, user)
    seen = read.page(
        db, viewer, complete.LEAD, filters.LeadFilter(), NOW, admits=admits, params=params
    )
    everything = db.scalar(select(func.count()).select_from(m.Lead))
    assert 0 < len(seen) < everything
    same(seen, _reference(db, actor, None))
    hidden = db.scalar(select(m.Lead.number).where(~access.visible(actor)).limit(1))
    assert read.named(db, viewer, complete.LEAD, ("number", hidden), NOW, admits, params) is None


def test_a_refused_token_is_not_admitted(db, random_leads):
    viewer, admits, params = tokens.viewing("F" * 32)
    number = db.scalar(select(m.Lead.number).limit(1))
    with pytest.raises(read.NotAdmitted):
        read.named(db, viewer, complete.LEAD, ("number", number), NOW, admits, params)
    with pytest.raises(read.NotAdmitted):
        read.page(
            db, viewer, complete.LEAD, filters.LeadFilter(), NOW, admits=admits, params=params
        )


def test_a_shape_seen_before_reuses_its_statement(db, admin, random_leads):
    viewer, admits, params = _viewing(db, admin.user)
    number = db.scalar(select(m.Lead.number).limit(1))
    before = set(map(id, compiled._CACHE.values()))

    def show(keys, column="number", value=number):
        read.named(db, viewer, complete.LEAD.only(keys), (column, value), NOW, admits, params)
        return [s for s in compiled._CACHE.values() if id(s) not in before]

    first = show(("number", "status"))
    assert len(first) == 1 and "access_tokens" in first[0].sql  # the caller's check
    assert "hierarchy_level" in first[0].sql  # the visibility rule
    assert show(("number", "status"), value=number + 1) == first  # the same one reused
    assert show(("status", "number")) != first  # another fields_set: another statement
    by_id = show(("number", "status"), "id", "nothing")
    assert len(by_id) == 3 and by_id[2].sql != first[0].sql  # another column


def test_the_dialect_is_part_of_the_key():
    built = []

    def build():
        built.append(1)
        return select(m.Lead.number).where(m.Lead.priority == bindparam("p"))

    sqlite = Session(create_engine("sqlite://"))
    postgres = Session(create_engine("postgresql+psycopg://"))
    texts = [compiled.statement(db, "dialect-test", build).sql for db in (sqlite, postgres)]
    assert texts[0] != texts[1] and "?" in texts[0] and "%(p)s" in texts[1]
    assert compiled.statement(sqlite, "dialect-test", build).sql == texts[0]
    assert len(built) == 2


def test_a_filter_without_slots_is_not_cached(db, admin, random_leads):
    viewer, admits, params = _viewing(db, admin.user)
    before = len(compiled._CACHE)
    f = filters.LeadFilter(text="b")
    found = read.page(db, viewer, complete.LEAD, f, NOW, admits=admits, params=params)
    assert len(compiled._CACHE) == before
    same(found, _reference(db, admin, None, f))


def test_past_its_size_the_cache_drops_the_oldest(monkeypatch):
    db = Session(create_engine("sqlite://"))
    monkeypatch.setattr(compiled, "_CACHE", {})
    monkeypatch.setattr(compiled, "SIZE", 2)
    for priority in (1, 2, 3):
        compiled.statement(db, ("size-test", priority), lambda: select(m.Lead.number))
    assert list(compiled._CACHE) == [("sqlite", ("size-test", 2)), ("sqlite", ("size-test", 3))]


def test_a_shape_asked_by_many_threads_at_once_is_built_once(monkeypatch):
    """A worker's first requests of a shape arrive together: one builds, the others wait."""
    db = Session(create_engine("sqlite://"))
    monkeypatch.setattr(compiled, "_CACHE", {})
    arrived, built = threading.Barrier(8), []

    def build():
        built.append(threading.get_ident())
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        return select(m.Lead.number)

    def ask():
        arrived.wait()
        return compiled.statement(db, "herd-test", build)

    with ThreadPoolExecutor(8) as pool:
        statements = list(pool.map(lambda _: ask(), range(8)))
    assert len(built) == 1
    assert all(s is statements[0] for s in statements)
