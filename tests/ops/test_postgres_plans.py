"""PostgreSQL sessions keep the reads' plans: statements run twice are prepared, prepared
statements keep one generic plan, and JIT is off (docs/operations.md, "PostgreSQL")."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL session settings")


def test_a_statement_run_twice_stays_prepared_with_one_plan(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_generic_plan"
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        stmt = select(m.Lead.id).where(m.Lead.number == 7)
        conn.execute(stmt)
        conn.execute(stmt)
        prepared = conn.exec_driver_sql(
            "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql"
        ).scalars()
        assert any("FROM leads" in text for text in prepared)
