"""Workflow benchmark on PostgreSQL: the breach rule and the next-activity filters over
many leads, as the dashboard, the list filters, the board's marks and the breach job use
them.

    .venv/bin/python bench/workflow.py [--leads 100000]

Makes a throw-away database (migrated, demo data), copies the demo's first lead --leads
times with creation times spread over 30 days (a third with an open activity, half of those
late; a tenth answered), sets New Customer's and the other types' targets, then times (best
of 5, warm) each read as the administrator and the breach job's first and second runs.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import create_engine, select, text

from leadbook import models as m
from leadbook.db import make_engine, make_sessionmaker, transaction
from leadbook.domain import clock, queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter  # noqa: E402
from leadbook.domain.workflow import breaches, sla
from leadbook.migrate import upgrade
from leadbook.refdata import config, demo
from leadbook.web import marks

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


FILL = """
INSERT INTO leads (id, number, version, life_cycle_state, type_id, status_id, importance,
  priority, start_date, contact_id, source_type, created_date, updated_date, last_activity_at)
SELECT md5(random()::text || g), 100000 + g, 1, l.life_cycle_state, l.type_id, l.status_id,
  l.importance, l.priority, l.start_date, l.contact_id, l.source_type,
  now() - (g % 43200) * interval '1 minute', now() - (g % 43200) * interval '1 minute',
  CASE WHEN g % 10 = 0 THEN now() - (g % 4320) * interval '1 minute' END
FROM generate_series(1, :n) g, (SELECT * FROM leads WHERE life_cycle_state = 'PENDING'
  ORDER BY number LIMIT 1) l;
INSERT INTO lead_activities (id, lead_id, kind, subject, due_at, created_by_id, created_at)
SELECT md5(random()::text || id), id, 'CALL', 'Call back',
  now() + CASE WHEN number % 2 = 0 THEN interval '-1 day' ELSE interval '1 day' END,
  :user, now()
FROM leads WHERE number % 3 = 0;
ANALYZE;
"""


def _best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    args = parser.parse_args()
    name = f"leadbook_bench_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE DATABASE {name}")
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        with transaction(sessions) as db:
            demo.load(db)
            user = db.scalar(select(m.User).where(m.User.username == demo.ADMIN))
            types = [
                {
                    "name": t.name,
                    "first_response_minutes": 120,
                    "escalation_hours": 24,
                    "rotting_days": {s.name: 7 for s in t.statuses},
                }
                for t in db.scalars(select(m.LeadType))
            ]
            config.apply(db, {"lead_types": types})
            for statement in FILL.split(";"):
                if statement.strip():
                    db.execute(text(statement), {"n": args.leads, "user": user.id})
        clock.freeze(clock.now() + timedelta(minutes=1))
        with transaction(sessions) as db:
            user = db.scalar(select(m.User).where(m.User.username == demo.ADMIN))
            actor = Actor(user, user.unit)
            now = clock.now()
            rule = sla.check(db, now)
            total = queries.count(db, actor, LeadFilter())
            page = queries.find(db, actor, LeadFilter(), limit=50)
            reads = {
                "count first response breached": lambda: queries.count(
                    db,
                    actor,
                    LeadFilter(breached=rule, breach_kinds=(sla.Breach.FIRST_RESPONSE,)),
                ),
                "count rotting": lambda: queries.count(
                    db, actor, LeadFilter(breached=rule, breach_kinds=(sla.Breach.ROTTING,))
                ),
                "count no next activity": lambda: queries.count(
                    db, actor, LeadFilter(no_next_activity=True)
                ),
                "count next activity overdue": lambda: queries.count(
                    db, actor, LeadFilter(next_activity_overdue_at=now)
                ),
                "page of 50, next activity late": lambda: queries.find(
                    db, actor, LeadFilter(next_activity_overdue_at=now), limit=50
                ),
                "marks of a page of 50": lambda: marks.marks(db, page),
            }
            print(f"{total} leads on PostgreSQL")
            for label, read in reads.items():
                print(f"{label:34} {_best(read):8.1f} ms")
        for attempt in ("first", "second"):
            with transaction(sessions) as db:
                start = time.perf_counter()
                done = breaches.run(db)
                took = (time.perf_counter() - start) * 1000
            print(f"breach job, {attempt} run {took:10.1f} ms  {done}")
        engine.dispose()
    finally:
        clock.freeze(None)
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
