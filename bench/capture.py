"""Capture's benchmark: the duplicate check's cost on create (web-form requests/s:
bench/intake.py).

    python bench/capture.py --db postgres --contacts 1000000

Fills a throw-away database (migrated, demo data) with --contacts contacts (their keys
set, as the check finds them), then:

- creates --creates leads each with a new contact (email, phone, a last name shared by
  a few stored contacts), committed one by one in the process, alternately with the
  duplicate check and without it (its lookup skipped), and prints the time per create of
  each, their ratio (target: with ≤ 1.2 × without) and the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))
import run  # noqa: E402  (bench/run.py: the database, server and wrk helpers)

from leadbook.domain import duplicates, leads  # noqa: E402
from leadbook.domain.actor import Actor  # noqa: E402
from leadbook.domain.changes import LeadChanges, Source  # noqa: E402
from leadbook.domain.contacts import NewContact  # noqa: E402
from leadbook.models import LeadType, User  # noqa: E402

CONTACT_COLUMNS = [
    "id",
    "number",
    "type",
    "life_cycle_state",
    "first_name",
    "last_name",
    "email",
    "phone",
    "email_key",
    "phone_key",
    "name_key",
]
def fill_contacts(url: str, count: int) -> None:
    """Inserts ``count`` contacts; every 100 share a last name."""

    def row(i: int) -> tuple:
        email, phone = f"person{i}@bench.test", f"+3572{i:07d}"
        return (
            uuid.uuid4().hex.upper(),
            f"B{i:09d}",
            "PERSON",
            "MARKETING",
            f"First{i}",
            f"Family{i // 100}",
            email,
            phone,
            email,
            phone,
            f"family{i // 100}",
        )

    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if url.startswith("postgresql"):
            with cursor.copy(f"COPY contacts ({', '.join(CONTACT_COLUMNS)}) FROM STDIN") as copy:
                for i in range(count):
                    copy.write_row(row(i))
        else:
            cursor.execute("PRAGMA synchronous=OFF")
            marks = ", ".join("?" for _ in CONTACT_COLUMNS)
            sql = f"INSERT INTO contacts ({', '.join(CONTACT_COLUMNS)}) VALUES ({marks})"
            for low in range(0, count, 20000):
                cursor.executemany(sql, [row(i) for i in range(low, min(low + 20000, count))])
        raw.commit()
        cursor = raw.cursor()
        cursor.execute("ANALYZE contacts")
        raw.commit()
    finally:
        raw.close()
    engine.dispose()


def creates(url: str, count: int, contacts: int) -> dict[str, float]:
    """Returns the mean ms per committed create, with the check and without it."""
    engine = create_engine(url)
    checked = duplicates._lookups
    took = {"with": 0.0, "without": 0.0}
    with Session(engine) as db:
        user = db.query(User).filter_by(username="mpadministrator").one()
        actor = Actor(user=user, unit=user.unit, via="bench")
        lead_type = db.query(LeadType).filter_by(name="New Customer").one()
        for i in range(count * 2):
            mode = ("with", "without")[i % 2]
            duplicates._lookups = checked if mode == "with" else lambda db, keys: ([], [])
            person = {
                "last_name": f"Family{(i * 7919) % (contacts // 100 or 1)}",
                "email": f"new{i}-{time.time()}@bench.test",
                "phone": f"+3579{i:07d}",
            }
            values = {
                "type": lead_type,
                "importance": "IMPORTANCE2",
                "priority": 2,
                "contact": NewContact(type="PERSON", values=person),
            }
            start = time.perf_counter()
            leads.create(db, actor, LeadChanges(values=values, source=Source("WEBSITE", "b")))
            db.commit()
            took[mode] += time.perf_counter() - start
    duplicates._lookups = checked
    engine.dispose()
    return {mode: round(1000 * seconds / count, 2) for mode, seconds in took.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--creates", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, name = run.make_database(args.db, Path(tmp))
        env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
        try:
            run.leadbook("migrate", env=env)
            run.leadbook("demo", env=env)
            start = time.perf_counter()
            fill_contacts(url, args.contacts)
            print(f"{args.contacts} contacts filled in {time.perf_counter() - start:.0f} s")
            load = os.getloadavg()[0]
            per_create = creates(url, args.creates, args.contacts)
            ratio = per_create["with"] / per_create["without"]
            print(
                f"create ms, with the check {per_create['with']}, without "
                f"{per_create['without']}: ratio {ratio:.2f} (load average {load:.1f} before, "
                f"{os.getloadavg()[0]:.1f} after)"
            )
        finally:
            run.drop_database(name)


if __name__ == "__main__":
    main()
