"""Migration 0029 makes the selective filters' indexes the models declare (and drops them on
downgrade); on PostgreSQL the board's and the list's reads filtered by a source name or an
amount range use them."""

from __future__ import annotations

import dataclasses

import pytest
from alembic import command
from sqlalchemy import event, inspect, select, text

from leadbook import migrate
from leadbook import models as m
from leadbook.db import make_engine
from leadbook.domain import capped, filters, queries, totals
from leadbook.domain.actor import Actor
from leadbook.models import Base, Role
from leadbook.web.board import statuses_of
from tests.conftest import BACKEND

INDEXES = ("ix_leads_source_board", "ix_leads_amount_board", "ix_leads_amount_assigned")
DEFINED = "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(:names) ORDER BY 1"


def _made(url: str) -> dict[str, object]:
    """The definitions of INDEXES in the database at ``url``: PostgreSQL's own text (its
    included columns too), SQLite's key columns."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if BACKEND == "postgres":
                found = conn.execute(text(DEFINED), {"names": list(INDEXES)})
                return dict(found.tuples().all())
            return {
                ix["name"]: ix["column_names"]
                for ix in inspect(conn).get_indexes("leads")
                if ix["name"] in INDEXES
            }
    finally:
        engine.dispose()


def test_upgrade_makes_the_models_indexes_and_downgrade_drops_them(_new_database):
    created = _new_database("m0029_created")  # from the models
    migrated = _new_database("m0029")
    engine = make_engine(migrated)
    Base.metadata.drop_all(engine)
    engine.dispose()
    migrate.upgrade(migrated)
    models = _made(created)
    assert sorted(models) == sorted(INDEXES)
    assert _made(migrated) == models
    command.downgrade(migrate.alembic_config(migrated), "0028")
    assert _made(migrated) == {}
    migrate.upgrade(migrated)
    assert _made(migrated) == models


LEADS = 20_000


def _in_turn(values: list[str]) -> str:
    """SQL taking ``values`` in turn over ``g``."""
    return f"(ARRAY[{', '.join(repr(v) for v in values)}])[1 + g % {len(values)}]"


def _fill(db, users: list[m.User]) -> None:
    """LEADS more leads, copies of a demo lead: ten source names, amounts 0–8,999, each of
    its type's statuses and of ``users`` in turn (the summaries' triggers off), analysed."""
    template = db.scalars(select(m.Lead).order_by(m.Lead.number)).first()
    statuses = statuses_of(template.type)
    made = {
        "id": "substr(md5(g::text), 1, 32)",
        "number": "10000000 + g",
        "source_name": "'source ' || g % 10",
        "target_amount": "(g * 7) % 9000",
        "status_id": _in_turn([s.id for s in statuses]),
        "life_cycle_state": _in_turn([s.life_cycle_state for s in statuses]),
        "assigned_user_id": _in_turn([u.id for u in users]),
        "privacy_level_id": "NULL",
        "merged_into_id": "NULL",
    }
    columns = [c.name for c in m.Lead.__table__.columns if c.name != "utm_source"]
    values = ", ".join(made.get(c, f"t.{c}") for c in columns)
    db.execute(text("SET LOCAL session_replication_role = replica"))
    db.execute(
        text(
            f"INSERT INTO leads ({', '.join(columns)}) SELECT {values} "
            f"FROM leads t, generate_series(1, {LEADS}) g WHERE t.id = :template"
        ),
        {"template": template.id},
    )
    db.execute(text("SET LOCAL session_replication_role = origin"))
    db.execute(text("ANALYZE leads"))


def _plans(db, read) -> str:
    """The plans of the statements over ``leads`` that ``read()`` sends (each planned for
    its values)."""
    sent = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "FROM leads" in statement and not statement.startswith("EXPLAIN"):
            sent.append((statement, parameters))

    bind = db.connection()
    event.listen(bind, "before_cursor_execute", record)
    try:
        read()
    finally:
        event.remove(bind, "before_cursor_execute", record)
    assert sent
    return "\n".join(
        row[0]
        for statement, parameters in sent
        for row in bind.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    )


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL's planner")
def test_the_selective_filters_read_their_indexes(db, admin):
    sales = db.scalar(select(m.User).where(m.User.username == "mariosm"))
    sales.role = Role.SALES
    db.flush()
    salesman = Actor(user=sales, unit=sales.unit, via="test")
    _fill(db, list(db.scalars(select(m.User).order_by(m.User.username))))
    kind = db.scalars(select(m.Lead).order_by(m.Lead.number)).first().type
    statuses = statuses_of(kind)
    source = filters.LeadFilter(type=kind, source_name="source 3")
    amount = filters.LeadFilter(type=kind, amount_min=1000, amount_max=1100)
    mine = filters.LeadFilter(assigned_user=sales, amount_min=1000, amount_max=1100)
    source_column, amount_column = (
        dataclasses.replace(f, status=statuses[0]) for f in (source, amount)
    )
    for index, read in (
        ("ix_leads_source_board", lambda: totals.by_status(db, admin, source, statuses)),
        ("ix_leads_source_board", lambda: capped.firsts(db, admin, source_column, 50)),
        ("ix_leads_amount_board", lambda: totals.by_status(db, admin, amount, statuses)),
        ("ix_leads_amount_board", lambda: capped.firsts(db, admin, amount_column, 50)),
        ("ix_leads_amount_assigned", lambda: queries.shown(db, salesman, mine, limit=20)),
        ("ix_leads_amount_assigned", lambda: queries.count_up_to(db, salesman, mine, 1000)),
    ):
        plan = _plans(db, read)
        assert index in plan, plan
    # a column unfiltered keeps the board's index (its cards in order)
    unfiltered = filters.LeadFilter(type=kind, status=statuses[0])
    assert "ix_leads_board" in _plans(db, lambda: capped.firsts(db, admin, unfiltered, 50))
