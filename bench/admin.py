"""The web's admin pages at size: fills a throw-away database (the demo, then N users,
N web API keys and N lost reasons), then times each admin page in-process (the real app
through Starlette's TestClient, signed in as the demo administrator): p50 of --runs
(20) requests after one warm-up, and the SQL statements one request runs (constant in N: no
query per row).

    .venv/bin/python bench/admin.py --db sqlite --rows 1000 --rows 10000
    .venv/bin/python bench/admin.py --db postgres --rows 1000
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from run import drop_database, leadbook, make_database  # noqa: E402

PAGES = (
    "/web/admin",
    "/web/admin/users",
    "/web/admin/api-keys",
    "/web/admin/data/lost_reasons",
    "/web/admin/data/lead_types",
)


def fill(url: str, count: int) -> None:
    """Adds ``count`` users (a key each) and lost reasons to the demo data."""
    from leadbook import models as m
    from leadbook.auth import tokens
    from leadbook.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        unit = db.query(m.Unit).first()
        for i in range(count):
            user = m.User(username=f"bench{i:06}", person_name=f"Bench {i}", unit=unit)
            db.add_all([user, m.LostReason(name=f"Reason {i:06}")])
            db.flush()
            tokens.issue_api_key(db, user, label=f"key {i}")
        db.commit()
    engine.dispose()


def measure(url: str, runs: int) -> list[tuple[str, float, int, int]]:
    """Returns (page, p50 ms, statements, bytes) of each admin page."""
    from fastapi.testclient import TestClient

    from leadbook.app import create_app
    from leadbook.config import Settings
    from leadbook.refdata import demo

    app = create_app(Settings(database_url=url))
    statements = [0]
    event.listen(app.state.engine, "before_cursor_execute", lambda *a: _count(statements))
    results = []
    with TestClient(app) as client:
        form = client.get("/web/login").text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
        creds = {"username": demo.ADMIN, "password": demo.PASSWORD, "csrf": csrf}
        assert client.post("/web/login", data=creds, follow_redirects=False).status_code == 303
        for page in PAGES:
            client.get(page)  # warm-up
            gc.collect()  # the filling's garbage is not this page's
            times = []
            for _ in range(runs):
                statements[0] = 0
                start = time.perf_counter()
                answer = client.get(page)
                times.append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 200, (page, answer.status_code)
            results.append((page, statistics.median(times), statements[0], len(answer.content)))
    app.state.engine.dispose()
    return results


def _count(statements: list[int]) -> None:
    statements[0] += 1


def main() -> None:
    """Runs the measurement for each --rows, printing one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(f"{'rows':>7} {'page':<32} {'p50 ms':>8} {'SQL':>4} {'KiB':>7}")
    for count in args.rows or [1000]:
        with tempfile.TemporaryDirectory() as workdir:
            url, name = make_database(args.db, Path(workdir))
            try:
                env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
                env["LEADBOOK_PASSWORD_HASH_COST"] = "cheapest"
                leadbook("migrate", env=env)
                leadbook("demo", env=env)
                fill(url, count)
                for page, p50, sql, size in measure(url, args.runs):
                    print(f"{count:>7} {page:<32} {p50:>8.1f} {sql:>4} {size / 1024:>7.0f}")
            finally:
                drop_database(name)


if __name__ == "__main__":
    main()
