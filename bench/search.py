"""Lead search's benchmark: the web list's text search at 1M leads.

    python bench/search.py --db postgres --leads 1000000
    python bench/search.py --db sqlite --leads 100000
    python bench/search.py --db postgres --keep leadbook_search_1m   # fill once, reuse

Fills a throw-away database (migrated, demo data) with --leads contacts, all distinct
(first and last names from syllables: ~125 people share a surname; companies of two words
and a suffix: ~85 people each; their own email and phone), and one lead per contact,
with the triggers off (PostgreSQL: COPY; SQLite: inserts), then writes the search texts,
the picker's texts (SQLite) and the totals set-based by the migrations' SQL: PostgreSQL's
texts in number order (as the triggers write them) and the trigram index built after,
SQLite's FTS5 tables rebuilt at once. One lead in a hundred is assigned to the demo
salesman ``mariosm``.

Then times the web list's search (board.search: a page of 20 and the count, through the
domain's queries; wall and CPU time) for a number, a surname, a company, an email
fragment, a phone (written differently from how it is stored), a two-word query and a
word of every lead's topic, for the administrator (everyone's leads, and his own: the
list's default) and the salesman (his own), and the contact
picker's suggestions (contacts.suggest) for three of them: the p50 of --runs runs after a
warm-up. Prints PostgreSQL's plan of the administrator's page of each query (EXPLAIN
ANALYZE) with --explain.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))
import run  # noqa: E402  (bench/run.py: the database helpers)

from leadbook import models as m  # noqa: E402
from leadbook.db import make_engine  # noqa: E402
from leadbook.domain import contacts, queries  # noqa: E402
from leadbook.domain.actor import Actor  # noqa: E402
from leadbook.models import search as search_model  # noqa: E402
from leadbook.models import totals as totals_model  # noqa: E402
from leadbook.web import board  # noqa: E402

SYLLABLES = (
    "ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "ba", "ge", "ho", "ji", "ku", "ma",
    "no", "pe", "ri", "so", "tu",
)
WORDS = (
    "Acme", "Nordic", "Blue", "Granite", "Silver", "Harbor", "Summit", "Pioneer", "Cedar",
    "Atlas", "Vertex", "Orion", "Delta", "Falcon", "Maple", "Iron", "Coral", "Lunar", "Solar",
    "Prairie", "Crystal", "Apex", "Beacon", "Crown", "Echo", "Ember", "Fern", "Garnet",
    "Hazel", "Indigo", "Juniper", "Kestrel", "Linden", "Meadow", "Nimbus", "Onyx", "Pebble",
    "Quartz", "Raven", "Sable", "Thistle", "Umber", "Violet", "Willow", "Yarrow", "Zephyr",
    "Aspen", "Birch", "Comet", "Dune",
)
SUFFIXES = ("Holdings", "Ltd", "Trading", "Partners", "Systems")
CONTACT_COLUMNS = [
    "id",
    "number",
    "type",
    "life_cycle_state",
    "first_name",
    "last_name",
    "company_name",
    "email",
    "phone",
    "email_key",
    "phone_key",
    "name_key",
]
LEAD_COLUMNS = [
    "id",
    "number",
    "version",
    "life_cycle_state",
    "type_id",
    "status_id",
    "importance",
    "priority",
    "start_date",
    "contact_id",
    "source_type",
    "source_name",
    "assigned_user_id",
    "created_date",
    "updated_date",
    "topic",
]


def person(i: int) -> dict:
    """The ``i``th contact: distinct, every value derived from ``i``."""
    s = SYLLABLES
    first = (s[i % 20] + s[(i // 20) % 20]).capitalize() + s[(i // 400) % 20]
    last = (s[(i // 7) % 20] + s[(i // 140) % 20] + s[(i // 2800) % 20]).capitalize()
    company = f"{WORDS[i % 47]} {WORDS[(i // 47) % 50]} {SUFFIXES[(i // 2350) % 5]}"
    email = f"{first.lower()}.{last.lower()}{i}@mail{(i // 3) % 97}.example"
    return {"first": first, "last": last, "company": company, "email": email, "i": i}


def phone_of(i: int) -> str:
    """The contact's phone as stored: E.164 (phone_key) and as typed (phone)."""
    return f"+3579{i:07d}"


def fill(url: str, count: int) -> None:
    """Inserts ``count`` contacts and a lead for each (see the module's docstring)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        ref = lambda sql: conn.execute(text(sql)).scalar_one()  # noqa: E731
        lead_type = ref("select id from lead_types where name='New Customer'")
        status = ref("select id from lead_statuses where name='Reach'")
        admin = ref("select id from users where username='mpadministrator'")
        seller = ref("select id from users where username='mariosm'")
    begun = datetime(2026, 1, 1, 9, 0)
    ids = [uuid.uuid4().hex.upper() for _ in range(count)]

    def contact_row(i: int) -> tuple:
        p = person(i)
        phone = phone_of(i)
        spaced = f"+357 9{i:07d}"[:7] + " " + f"+357 9{i:07d}"[7:]
        return (ids[i], f"S{i:09d}", "PERSON", "MARKETING", p["first"], p["last"],
                p["company"], p["email"], spaced, p["email"], phone, p["last"].lower())  # fmt: skip

    def lead_row(i: int) -> tuple:
        number = run.FIRST + i
        return (uuid.uuid4().hex.upper(), number, 1, "PENDING", lead_type, status,
                "IMPORTANCE3", 3, begun + timedelta(minutes=i % 50000), ids[i], "WEBSITE",
                "bench", seller if i % 100 == 0 else admin, begun, begun,
                f"Offer {WORDS[(i // 11) % 50]} {i % 1000}")  # fmt: skip

    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if url.startswith("postgresql"):
            cursor.execute("SET session_replication_role = replica")  # no triggers
            for table, columns, make in (
                ("contacts", CONTACT_COLUMNS, contact_row),
                ("leads", LEAD_COLUMNS, lead_row),
            ):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for i in range(count):
                        copy.write_row(make(i))
            cursor.execute("SET session_replication_role = origin")
            cursor.execute(f"SELECT setval('lead_numbers', {run.FIRST + count})")
        else:
            cursor.execute("PRAGMA synchronous=OFF")
            triggers = _drop_triggers(cursor)  # index() writes the texts and totals after
            for table, columns, make in (
                ("contacts", CONTACT_COLUMNS, contact_row),
                ("leads", LEAD_COLUMNS, lead_row),
            ):
                marks = ", ".join("?" for _ in columns)
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                for low in range(0, count, 20000):
                    rows = [make(i) for i in range(low, min(low + 20000, count))]
                    cursor.executemany(sql, rows)
            cursor.execute(f"INSERT OR REPLACE INTO counters VALUES ('lead', {run.FIRST + count})")
            for sql in triggers:
                cursor.execute(sql)
        raw.commit()
    finally:
        raw.close()
    engine.dispose()


def _drop_triggers(cursor) -> list[str]:
    """Drops SQLite's triggers (the search texts', the totals'), returning their SQL."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    triggers = cursor.fetchall()
    for name, _ in triggers:
        cursor.execute(f"DROP TRIGGER {name}")
    return [sql for _, sql in triggers]


def index(url: str) -> None:
    """Writes every lead's search text and the totals anew, set-based by the migrations'
    SQL (PostgreSQL: the trigram index built after, as CREATE INDEX does it faster than a
    million inserts; SQLite: the triggers off, each FTS5 table rebuilt from its texts at
    once, the picker's texts too), then analyses the database."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("DELETE FROM lead_totals")
        cursor.execute(totals_model.fill_sql())
        if url.startswith("postgresql"):
            cursor.execute("DROP INDEX IF EXISTS ix_lead_search_doc_trgm")
            cursor.execute("TRUNCATE lead_search")
            # in number order, as the triggers write them lead by lead (a parallel join's
            # order would scatter them, and a page by number would read a block per row)
            cursor.execute(search_model.fill_sql("postgresql") + " ORDER BY l.number")
            (gin,) = [s for s in search_model.statements("postgresql") if "lead_search USING" in s]
            cursor.execute(gin)
            raw.commit()
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute("VACUUM ANALYZE")
        else:
            triggers = _drop_triggers(cursor)
            for table, fill_sql in (
                ("lead_search", search_model.fill_sql("sqlite")),
                ("contact_search", search_model.contact_fill_sql()),
            ):
                cursor.execute(f"DELETE FROM {table}")
                cursor.execute(fill_sql)
                cursor.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
            for sql in triggers:
                cursor.execute(sql)
            cursor.execute("ANALYZE")
            raw.commit()
    finally:
        raw.close()
    engine.dispose()


def queries_for(count: int) -> dict[str, str]:
    """The queries timed, naming leads of the filled data (one in the middle of it)."""
    i = count // 2  # one in a hundred (this one too) is the salesman's
    p = person(i)
    local = p["email"].split("@")[0]
    return {
        "no text (the floor)": "",
        "number": str(run.FIRST + i),
        "surname": p["last"],
        "company": p["company"].rsplit(" ", 1)[0],  # two words: e.g. "Acme Nordic"
        "email fragment": local[len(local) // 3 :],
        "phone": f"09{i:07d}"[:3] + " " + f"09{i:07d}"[3:],  # national, with a blank
        "two words": f"{p['first']} {p['last']}",
        "every topic's word": "Offer",
    }


ROLES = (("mpadministrator", "all"), ("mpadministrator", "me"), ("mariosm", "me"))  # owner


def timed(call, runs: int) -> tuple[float, float]:
    """Returns the p50 in ms of ``runs`` calls of ``call`` after one warm-up: wall time,
    and this process's CPU time (all of SQLite's work; PostgreSQL's is the server's)."""
    call()
    spent, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        spent.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(spent), statistics.median(cpu)


def measure(url: str, count: int, runs: int, explain: bool) -> None:
    """Times each query for the administrator and the salesman; prints plans if asked."""
    engine = make_engine(url)
    with Session(engine) as db:
        for who, owner in ROLES:
            user = db.scalar(select(m.User).where(m.User.username == who))
            actor = Actor(user, user.unit)
            label = f"{who} ({'everyone' if owner == 'all' else 'mine'})"
            for kind, query in queries_for(count).items():
                filters = board.Filters(text=query, owner=owner)
                _rows, total, more = board.search(db, actor, filters)
                ms, cpu = timed(lambda f=filters, a=actor: board.search(db, a, f), runs)
                n = f"{total:,}{'+' if more else ''}"
                print(
                    f"{label:28} {kind:15} {query!r:28} {n:>7} found {ms:7.1f} ms "
                    f"({cpu:.1f} CPU)",
                    flush=True,
                )
                if explain and url.startswith("postgresql") and owner == "all":
                    stmt = queries.page(actor, filters.lead_filter(db, actor), limit=20)
                    sql = stmt.compile(engine, compile_kwargs={"literal_binds": True})
                    for (line,) in db.execute(text(f"EXPLAIN ANALYZE {sql}")):
                        print("    " + line)
        for kind, query in queries_for(count).items():
            if kind in ("surname", "email fragment", "two words"):
                found = len(contacts.suggest(db, query))
                ms, _cpu = timed(lambda q=query: contacts.suggest(db, q), runs)
                print(f"{'contact picker':28} {kind:15} {query!r:28} {found:7} found {ms:7.1f} ms")
                if explain and url.startswith("postgresql"):
                    stmt = contacts.suggestions(query)
                    sql = stmt.compile(engine, compile_kwargs={"literal_binds": True})
                    for (line,) in db.execute(text(f"EXPLAIN ANALYZE {sql}")):
                        print("    " + line)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--keep", metavar="NAME", help="a database to fill once (a name; SQLite: a file)"
    )
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep and args.db == "sqlite":
            url, name = f"sqlite:///{Path(args.keep).resolve()}", None
        elif args.keep:
            url, name = run.PG_ADMIN.rsplit("/", 1)[0] + f"/{args.keep}", None
            admin = create_engine(run.PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                known = conn.scalar(
                    text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": args.keep}
                )
                if not known:
                    conn.execute(text(f'CREATE DATABASE "{args.keep}"'))
            admin.dispose()
        else:
            url, name = run.make_database(args.db, Path(tmp))
        env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
        try:
            run.leadbook("migrate", env=env)
            run.leadbook("demo", env=env)
            with create_engine(url).connect() as conn:
                filled = conn.scalar(text("SELECT count(*) FROM leads")) > args.leads
                texts = conn.scalar(text("SELECT count(*) FROM lead_search")) > args.leads
            if not filled:
                start = time.perf_counter()
                fill(url, args.leads)
                took = time.perf_counter() - start
                print(f"{args.leads} leads and contacts filled in {took:.0f} s", flush=True)
            if not (filled and texts):
                start = time.perf_counter()
                index(url)
                took = time.perf_counter() - start
                print(f"search texts written and indexed in {took:.0f} s", flush=True)
            load = os.getloadavg()[0]
            measure(url, args.leads, args.runs, args.explain)
            print(f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
        finally:
            run.drop_database(name)


if __name__ == "__main__":
    main()
