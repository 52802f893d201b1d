"""The bench's fast fill (bench/fillsql.py): leads loaded with the triggers off leave the
summaries behind until ``summarise`` writes them, ``check`` says so, and the triggers keep
the summaries again afterwards."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from sqlalchemy import func, select

from leadbook import models as m

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
import fillsql  # noqa: E402


def _copies(db, count: int) -> list[m.Lead]:
    """``count`` new leads, copies of the demo's first lead (new ids and numbers)."""
    lead = db.scalar(select(m.Lead).order_by(m.Lead.number).limit(1))
    top = db.scalar(select(func.max(m.Lead.number)))
    skip = ("id", "number", "merged_into_id")
    values = {c.key: getattr(lead, c.key) for c in m.Lead.__table__.columns if c.key not in skip}
    copies = [
        m.Lead(**values, id=uuid.uuid4().hex.upper(), number=top + 1 + i) for i in range(count)
    ]
    db.add_all(copies)
    db.flush()
    return copies


def test_leads_loaded_untriggered_are_summarised_after(db, demo):
    dialect = db.bind.dialect.name
    cursor = db.connection().connection.cursor()
    fillsql.summarise(cursor, dialect)
    assert fillsql.check(cursor, dialect) == []
    with fillsql.untriggered(cursor, dialect):
        _copies(db, 5)
    assert fillsql.check(cursor, dialect) == [
        "1 totals kept, not scanned",
        "1 totals scanned, not kept",
        "5 leads' search text missing or stale",
    ]
    fillsql.summarise(cursor, dialect)
    assert fillsql.check(cursor, dialect) == []
    _copies(db, 2)  # the triggers are back: they keep both summaries
    assert fillsql.check(cursor, dialect) == []
    assert db.scalar(select(func.count()).select_from(m.LeadSearch)) == db.scalar(
        select(func.count()).select_from(m.Lead)
    )
