"""The lead list's bulk actions, export and inline edit, timed through the real app
(in process, TestClient) on a throw-away database of N leads.

    .venv/bin/python bench/listactions.py --db sqlite --leads 5000
    .venv/bin/python bench/listactions.py --db postgres --leads 5000

Makes the database (a temporary SQLite file, or ``leadbook_bench_<random>`` on the local
PostgreSQL server, dropped afterwards), migrates it, loads the demo data, copies the demo's
first Pending lead --leads times, logs in as the demo administrator and times (best of 5,
each write on leads not touched before): a single start (the yardstick), the list page of
100 rows (checkboxes, inline cells, the views bar), a bulk start of 100 leads, a bulk
export of 100 chosen leads, the export of the whole list, and one inline save.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, select, text

from leadbook import models as m
from leadbook.app import create_app
from leadbook.config import Settings
from leadbook.db import make_engine, make_sessionmaker, transaction
from leadbook.migrate import upgrade
from leadbook.refdata import demo

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIRST = 100_000
ROUNDS = 5


def _admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _fill(url: str, leads: int) -> None:
    """Loads the demo data and copies its first Pending lead ``leads`` times."""
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as db:
        demo.load(db)
    with transaction(make_sessionmaker(engine)) as db:
        model = db.scalar(
            select(m.Lead).where(m.Lead.life_cycle_state == "PENDING").order_by(m.Lead.number)
        )
        keys = ("life_cycle_state", "type_id", "status_id", "importance", "priority")
        keys += ("start_date", "contact_id", "source_type", "created_date", "updated_date")
        keys += ("owned_by_group_id", "assigned_user_id")
        row = {key: getattr(model, key) for key in keys}
        rows = [{**row, "id": uuid.uuid4().hex.upper(), "number": FIRST + i} for i in range(leads)]
        for at in range(0, leads, 1000):
            db.execute(insert(m.Lead.__table__), rows[at : at + 1000])
    engine.dispose()


def _best(run: Callable[[int], object]) -> float:
    times = []
    for round_ in range(ROUNDS):
        start = time.perf_counter()
        run(round_)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def _measure(url: str, leads: int) -> dict[str, float]:
    app = create_app(Settings(database_url=url))
    with TestClient(app) as client:
        form = client.get("/web/login").text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
        client.post(
            "/web/login",
            data={"username": demo.ADMIN, "password": "leadbook-demo", "csrf": csrf},
        )
        page = client.get("/web/leads?size=100")
        assert page.status_code == 200, page.text[:500]
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)

        def bulk(action: str, numbers: list[int]):
            answer = client.post(
                "/web/leads/bulk",
                data={"csrf": csrf, "action": action, "numbers": [str(n) for n in numbers]},
            )
            assert answer.status_code == 200, answer.text[:500]
            return answer

        def start(round_: int):
            answer = bulk(
                "start_progress", list(range(FIRST + 100 * round_, FIRST + 100 * (round_ + 1)))
            )
            assert "100 leads started" in answer.text

        def inline(round_: int):
            number = FIRST + 1000 + round_
            version = client.get(f"/web/leads/{number}/cell/priority?edit=true")
            value = re.search(r'name="version" value="(\d+)"', version.text).group(1)
            saved = client.post(
                f"/web/leads/{number}/cell/priority",
                data={"csrf": csrf, "priority": "1", "version": value},
                headers={"HX-Request": "true"},
            )
            assert saved.status_code == 200, saved.text[:500]

        def single(round_: int):
            number = FIRST + 2000 + round_
            moved = client.post(
                f"/web/leads/{number}/move",
                data={"csrf": csrf, "action": "start_progress"},
                follow_redirects=False,
            )
            assert moved.status_code == 303, moved.text[:500]

        figures = {
            "single start from the lead page (ms)": _best(single),
            "list page, 100 rows (ms)": _best(lambda _: client.get("/web/leads?size=100")),
            "bulk start, 100 leads (ms)": _best(start),
            "bulk export, 100 chosen (ms)": _best(
                lambda _: bulk("export", list(range(FIRST, FIRST + 100)))
            ),
            f"export whole list, {leads} + demo leads (ms)": _best(
                lambda _: client.get("/web/leads/export")
            ),
            "inline save of a priority (ms, with its GET)": _best(inline),
        }
    app.state.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--leads", type=int, default=5000)
    args = parser.parse_args()
    name = f"leadbook_bench_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        if args.db == "postgres":
            _admin(f"CREATE DATABASE {name}")
            url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        else:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
        try:
            upgrade(url)
            _fill(url, args.leads)
            for label, ms in _measure(url, args.leads).items():
                print(f"{args.db:9} {label:48} {ms:9.1f}")
        finally:
            if args.db == "postgres":
                _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
