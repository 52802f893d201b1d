"""The reports at scale: fills a throw-away PostgreSQL database with N leads (COPY), their
stays in statuses (lead_stages) and their audit events, then times each report through
the domain (p50 of --runs runs, after one warm-up), for the administrator and a salesman,
over all time and over the last 30 days.

    .venv/bin/python bench/reports.py --leads 1000000 --runs 5
    .venv/bin/python bench/reports.py --keep leadbook_reports_1m   # fill once, then reuse

With --keep NAME the database is NAME, kept afterwards: filled when it has no leads,
otherwise only migrated to the current head (a new index is built over the leads there)
and measured again.

The leads: created over the year before 2026-11-01, types Software Purchase / New
Customer alternately, four source types and ten source names, utm_source in five values,
assigned to the demo's users in turn; 40 % still pending, 25 % in progress, 20 % won, 15 %
lost, each with the stays and events that history makes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from run import PG_ADMIN, drop_database, leadbook, make_database  # noqa: E402

from leadbook import models as m  # noqa: E402
from leadbook.db import make_engine, make_sessionmaker  # noqa: E402
from leadbook.domain.actor import Actor  # noqa: E402
from leadbook.domain.reports import activity, conversion, durations, funnel  # noqa: E402
from leadbook.domain.reports.filters import ReportFilter  # noqa: E402

END = datetime(2026, 11, 1)
SOURCES = ("WEBSITE", "EMAIL", "PHONE", "OTHER")
UTM = ("google", "newsletter", "linkedin", "partner", "fair")
LEADS = [
    "id", "number", "version", "life_cycle_state", "type_id", "status_id", "importance",
    "priority", "start_date", "contact_id", "source_type", "source_name", "attribution",
    "assigned_user_id", "assigned_unit_id", "created_date", "updated_date",
    "actual_completion_date", "score",
]  # fmt: skip
# a stay and an event carry the lead's assignee and unit (domain/audience.py)
STAGES = ["lead_id", "type_id", "status_id", "life_cycle_state", "entered_at", "left_at",
          "first", "user_id", "seconds", "assigned_user_id", "assigned_unit_id"]  # fmt: skip
EVENTS = ["lead_id", "lead_number", "occurred_at", "user_id", "username", "unit_id", "action",
          "via", "changes", "assigned_user_id", "assigned_unit_id"]  # fmt: skip


def references(engine) -> tuple[list, dict, list, str]:
    """The demo's rows a filled lead refers to: the two lead types, the statuses of its
    history by name, the users (id, username, unit) and a contact."""
    with engine.begin() as conn:
        one = lambda sql: conn.execute(text(sql)).scalar_one()  # noqa: E731
        types = [one(f"select id from lead_types where name='{n}'")
                 for n in ("Software Purchase", "New Customer")]  # fmt: skip
        names = ("Reach", "Learn", "Won", "Lost")
        status = {n: one(f"select id from lead_statuses where name='{n}'") for n in names}
        users = [tuple(r) for r in conn.execute(text("select id, username, unit_id from users"))]
        contact = one("select id from contacts limit 1")
    return types, status, users, contact


def fill(url: str, count: int) -> None:
    """COPYs ``count`` leads with their stays and events (see the module's docstring)."""
    engine = create_engine(url)
    types, status, users, contact = references(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        # one COPY at a time on a connection: a pass per table, each history made again
        for part, (table, columns) in enumerate(
            (("leads", LEADS), ("lead_stages", STAGES), ("lead_events", EVENTS))
        ):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(count):
                    for row in _history(i, types, status, users, contact)[part]:
                        copy.write_row(row)
        raw.commit()
        cursor = raw.cursor()
        cursor.execute(f"SELECT setval('lead_numbers', {1000 + count})")
        raw.commit()
    finally:
        raw.close()
    engine.dispose()


def vacuum(url: str) -> None:
    """VACUUM ANALYZE the tables the reports read: the state autovacuum keeps them in (an
    index-only scan needs the visibility map; a migration's UPDATE leaves dead rows)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE leads, lead_stages, lead_events"))
    engine.dispose()


def _history(i, types, status, users, contact) -> tuple[list, list, list]:
    """Returns lead ``i``'s row, its stays and its events (the same each time asked)."""
    lead_id, number = f"{i:032X}", 1000 + i
    type_id = types[i % 2]
    user_id, username, unit_id = users[i % len(users)]
    created = END - timedelta(minutes=(i * 37) % (365 * 24 * 60))
    fate = i % 20  # 0-7 pending, 8-12 in progress, 13-16 won, 17-19 lost
    path = [("Reach", "PENDING", created)]
    started = created + timedelta(hours=2 + i % 90)
    if fate >= 8:
        path.append(("Learn", "IN_PROGRESS", started))
    closed = started + timedelta(days=1 + i % 60, hours=i % 24)
    if fate >= 13:
        path.append(("Won", "WON", closed) if fate < 17 else ("Lost", "LOST", closed))
    state = path[-1][1]
    attribution = json.dumps({"utm_source": UTM[i % len(UTM)]})
    lead = (
        lead_id, number, len(path), state, type_id, status[path[-1][0]], "IMPORTANCE3",
        1 + i % 5, created, contact, SOURCES[i % 4], f"source {i % 10}", attribution,
        user_id, unit_id, created, path[-1][2], closed if fate >= 13 else None, 0,
    )  # fmt: skip
    stays, events = [], []
    for at, (name, step_state, entered) in enumerate(path):
        left = path[at + 1][2] if at + 1 < len(path) else None
        seconds = (left - entered).total_seconds() if left is not None else None
        stays.append(
            (lead_id, type_id, status[name], step_state, entered, left, True, user_id, seconds,
             user_id, unit_id)
        )  # fmt: skip
        action = ("create", "start_progress", "win" if name == "Won" else "lose")[at]
        events.append(
            (lead_id, number, entered, user_id, username, unit_id, action, "bench", "{}",
             user_id, unit_id)
        )  # fmt: skip
    return [lead], stays, events


def timed(call, runs: int) -> float:
    """Returns the p50 in ms of ``runs`` calls of ``call`` after one warm-up."""
    call()
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        spent.append((time.perf_counter() - began) * 1000)
    return statistics.median(spent)


def _cases(db, actor: Actor, f: ReportFilter, untyped: ReportFilter) -> dict:
    """The reports to time: the typed ones over ``f``, the others over ``untyped``."""
    return {
        "funnel": lambda: funnel.funnel(db, actor, f),
        "conversion by source_name": lambda: conversion.conversion(
            db, actor, untyped, "source_name"
        ),
        "conversion by utm_source": lambda: conversion.conversion(
            db, actor, untyped, "attribution.utm_source"
        ),
        "time to win": lambda: durations.time_to_win(db, actor, untyped),
        "time in status": lambda: durations.time_in_status(db, actor, f),
        "activity per user": lambda: activity.activity(db, actor, untyped),
    }


def measure(url: str, runs: int) -> list[tuple[str, str, float]]:
    """Times every report for the administrator and a salesman, all time and 30 days."""
    sessions = make_sessionmaker(make_engine(url))
    results = []
    with sessions() as db:
        admin = db.scalar(select(m.User).where(m.User.username == "mpadministrator"))
        seller = db.scalar(select(m.User).where(m.User.username == "mariosm"))
        lead_type = db.scalar(select(m.LeadType).where(m.LeadType.name == "New Customer"))
        for who, user in (("admin", admin), ("sales", seller)):
            actor = Actor(user, user.unit)
            for span, since in (("all", None), ("30 days", END - timedelta(days=30))):
                f = ReportFilter(since=since, until=END, lead_type=lead_type)
                untyped = ReportFilter(since=since, until=END)
                cases = _cases(db, actor, f, untyped)
                for name, call in cases.items():
                    results.append((f"{who}, {span}", name, timed(call, runs)))
                    print(f"{who:5} {span:8} {name:28} {results[-1][2]:8.1f} ms", flush=True)
    return results


def kept_database(name: str) -> str:
    """Returns the URL of the database ``name``, created when missing (never dropped)."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if found.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _empty(url: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as conn:
        empty = conn.execute(text("SELECT NOT EXISTS (SELECT 1 FROM leads)")).scalar_one()
    engine.dispose()
    return bool(empty)


def filled_and_measured(doc: str, runs: int, fill, measure) -> None:
    """The command line of a bench over a filled database: ``--leads`` N filled once by
    ``fill(url, N)`` into a throw-away database (or ``--keep NAME``, reused), vacuumed,
    then ``measure(url, runs)``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--keep", metavar="NAME", help="a database to fill once and reuse")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            url, name = kept_database(args.keep), None
        else:
            url, name = make_database("postgres", Path(tmp))
        env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
        try:
            leadbook("migrate", env=env)
            if _empty(url):
                leadbook("demo", env=env)
                began = time.perf_counter()
                fill(url, args.leads)
                print(f"filled {args.leads:,} leads in {time.perf_counter() - began:.0f} s")
            vacuum(url)
            measure(url, args.runs)
        finally:
            drop_database(name)
    print(f"load average after: {os.getloadavg()}")


def main() -> None:
    filled_and_measured(__doc__, 5, fill, measure)


if __name__ == "__main__":
    main()
