"""The ways a text search runs, each giving what the plain rule gives: on SQLite, a page
and a count driven from the FTS5 match's rowids (queries._by_fts); on PostgreSQL, the
statements with their values written in (db.PLANNED_EACH_TIME), one round trip each."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.db import PLANNED_EACH_TIME
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter, narrowed
from leadbook.models import Lead, Role, User
from leadbook.web import board

ODD = ["O'Brien \"roof\"", "back\\slash", "50% _off", "$$ quax $1", "\\0 nul\\x00", "';--"]


@pytest.fixture
def roofs(db) -> list[Lead]:
    """Seven leads whose topic holds "Quaxworth", three of them the salesman's, each with
    one of the odd texts too."""
    salesman = db.scalar(select(User).where(User.username == "mariosm"))
    salesman.role = Role.SALES
    found = list(db.scalars(select(Lead).order_by(Lead.number).limit(7)))
    for n, lead in enumerate(found):
        lead.topic = f"Quaxworth roof {n} {ODD[n % len(ODD)]}"
        lead.assigned_user_id = salesman.id if n % 2 else lead.assigned_user_id
    db.flush()
    return found


def _actors(db, admin) -> list[Actor]:
    sales = db.scalar(select(User).where(User.username == "mariosm"))
    return [admin, Actor(user=sales, unit=sales.unit, via="test")]


def _plain(db, actor, f: LeadFilter) -> list[int]:
    """The numbers the rule matches, tested lead by lead (search.condition), by number."""
    return list(db.scalars(narrowed(select(m.Lead.number), actor, f).order_by(m.Lead.number)))


@pytest.mark.parametrize(
    "typed", ["quaxworth", "Quaxworth roof", "roo", "quaxworth 3", "of", *ODD, "zyxxwvq"]
)
def test_a_page_and_a_count_are_the_plain_rules(db, admin, demo, roofs, typed, monkeypatch):
    monkeypatch.setattr(queries, "COUNTED", 3)
    for actor in _actors(db, admin):
        for f in (LeadFilter(text=typed), LeadFilter(text=typed, priority=roofs[0].priority)):
            plain = _plain(db, actor, f)
            pages = [queries.find(db, actor, f, offset=o, limit=2) for o in (0, 2, 4)]
            assert [lead.number for page in pages for lead in page] == plain[:6]
            back = queries.find(db, actor, f, limit=3, descending=True)
            assert [lead.number for lead in back] == plain[::-1][:3]
            assert queries.count(db, actor, f) == min(len(plain), 4)  # one past COUNTED
            assert queries.count_up_to(db, actor, f, 2) == (
                (2, True) if len(plain) > 2 else (len(plain), False)
            )
    assert len(_plain(db, admin, LeadFilter(text="quaxworth"))) == 7


@pytest.mark.parametrize("typed", ["quaxworth", *ODD])
def test_values_written_in_find_what_bound_values_find(db, admin, roofs, typed):
    """PostgreSQL: the page with its values written in (the odd texts quoted safely) is
    the page with them bound; SQLite binds them either way."""
    f = LeadFilter(text=typed)
    stmt = queries.page(admin, f, limit=20)
    assert PLANNED_EACH_TIME in stmt.get_execution_options()
    written = [lead.number for lead in db.scalars(stmt)]
    bound = db.scalars(stmt.execution_options(**{PLANNED_EACH_TIME: False}))
    assert written == [lead.number for lead in bound] == _plain(db, admin, f)
    assert written  # each odd text is in a topic


def test_on_postgresql_a_search_is_two_round_trips(db, admin, roofs, monkeypatch):
    """The web list's search (board.search): its page and its count, nothing around them
    (no SET and RESET of the plan mode), and the connection keeps its generic plans."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's round trips")
    db.connection().exec_driver_sql("SELECT 1")  # the session's connection, before counting
    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(cursor, query, *args, **kw):
        sent.append(str(query))
        return execute(cursor, query, *args, **kw)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    rows, total, more = board.search(db, admin, board.Filters(text="quaxworth", owner="all"))
    monkeypatch.undo()
    assert (len(rows), total, more) == (7, 7, False)
    assert len(sent) == 2 and all("Quaxworth" in s or "quaxworth" in s for s in sent)
    assert db.connection().exec_driver_sql("SHOW plan_cache_mode").scalar() == (
        "force_generic_plan"
    )
