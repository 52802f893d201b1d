"""What a set of indexes on ``leads`` gives the reads and costs the writes, on a database
filled by bench/webpages.py --keep NAME: each index named is dropped inside a transaction
(rolled back after, so nothing changes) and the same work is timed without and with them,
alternated round after round on one connection.

    .venv/bin/python bench/indexcost.py leadbook_web_1m ix_leads_source_board ...

Reads: the statements over ``leads`` of the pages matching --pages (a regular expression
over "who page" of webpages.variants), captured from the app, run prepared with generic
plans as the app runs them: ms of wall p50 per page, and the backend's CPU per page (from
/proc; parallel workers' CPU not counted). Writes: --writes random leads copied (insert),
their description changed (as leads/update) and their amount changed, each under
EXPLAIN (ANALYZE, WAL): the server's ms p50, the backend's CPU, WAL bytes and full-page
images per write, after a CHECKPOINT (the first change of each page since one) and for
the same leads again.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import event

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from reports import kept_database  # noqa: E402
from webpages import signed_in, variants  # noqa: E402

from leadbook import models as m  # noqa: E402
from leadbook.app import create_app  # noqa: E402
from leadbook.config import Settings  # noqa: E402
from leadbook.db import PLANS, make_engine, make_sessionmaker  # noqa: E402

PAGES = r"board, (source name|amount)$|list, amount$|admin board$"
WRITES = {
    "insert": "INSERT INTO leads (id, number, {columns}) SELECT %s, nextval('lead_numbers'), "
    "{columns} FROM leads WHERE number = %s",
    "update": "UPDATE leads SET description = %s, version = version + 1, updated_date = now() "
    "WHERE number = %s",
    "amount": "UPDATE leads SET target_amount = %s, version = version + 1 WHERE number = %s",
}


def _recorder(sent: list[tuple[str, dict]]):
    """A listener keeping in ``sent`` each statement over leads, with its parameters."""

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        """Keeps a statement over leads."""
        if "FROM leads" in statement:
            sent.append((statement, parameters))

    return record


def captured(url: str, pages: re.Pattern) -> dict[str, list[tuple[str, dict]]]:
    """The statements over ``leads`` each matching page sends, with their parameters."""
    app = create_app(Settings(database_url=url))
    found: dict[str, list[tuple[str, dict]]] = {}
    with make_sessionmaker(make_engine(url))() as db, TestClient(app) as client:
        for who, kind in signed_in(db, client):
            for page, address in variants(db, who, kind).items():
                if not pages.search(f"{who} {page}"):
                    continue
                sent: list[tuple[str, dict]] = []
                record = _recorder(sent)
                event.listen(app.state.engine, "before_cursor_execute", record)
                assert client.get(address).status_code == 200
                event.remove(app.state.engine, "before_cursor_execute", record)
                found[f"{who} {page}"] = sent
    app.state.engine.dispose()
    return found


def prepared(name: str, statement: str, parameters: dict) -> tuple[str, sql.Composable]:
    """``statement`` as a PREPARE of ``name`` and the EXECUTE giving it ``parameters``."""
    order: list[str] = []

    def numbered(match: re.Match) -> str:
        order.append(match.group(1))
        return f"${len(order)}"

    text = re.sub(r"%\((\w+)\)s", numbered, statement)
    values = sql.SQL(", ").join(sql.Literal(parameters[key]) for key in order)
    run = sql.SQL("EXECUTE {}").format(sql.Identifier(name))
    return f"PREPARE {name} AS {text}", run + sql.SQL(" ({})").format(values) if order else run


def backend_cpu(conn: psycopg.Connection) -> float:
    """The ms of CPU the connection's server process has used."""
    with open(f"/proc/{conn.info.backend_pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def read(conn: psycopg.Connection, statements: list[tuple[str, dict]], runs: int) -> tuple:
    """Times a page's statements: (ms p50, backend CPU ms) per run after a warm-up."""
    made = [prepared(f"p{i}", *each) for i, each in enumerate(statements)]
    for prepare, _ in made:
        conn.execute(prepare)
    for _, run in made:
        conn.execute(run).fetchall()
    spent, began = [], backend_cpu(conn)
    for _ in range(runs):
        start = time.perf_counter()
        for _, run in made:
            conn.execute(run).fetchall()
        spent.append((time.perf_counter() - start) * 1000)
    cpu = (backend_cpu(conn) - began) / runs
    conn.execute("DEALLOCATE ALL")
    return statistics.median(spent), cpu


def _value(kind: str, i: int) -> object:
    """The value the ``i``-th write of ``kind`` writes: a new lead's id, a description, an
    amount."""
    if kind == "insert":
        return f"{random.getrandbits(128):032X}"
    return f"changed {i}" if kind == "update" else float(i * 7 % 9000)


def write(conn: psycopg.Connection, kind: str, numbers: list[int]) -> tuple:
    """Writes ``kind`` on lead ``numbers``: (server ms p50, backend CPU ms, WAL bytes, page
    images) per write."""
    columns = [
        c.name for c in m.Lead.__table__.columns if c.name not in ("id", "number", "utm_source")
    ]
    statement = "EXPLAIN (ANALYZE, WAL, TIMING OFF, FORMAT JSON) " + WRITES[kind].format(
        columns=", ".join(columns)
    )
    spent, wal, images, began = [], 0, 0, backend_cpu(conn)
    for i, number in enumerate(numbers):
        value = _value(kind, i)
        ((plan,),) = conn.execute(statement, (value, number)).fetchone()
        spent.append(plan["Execution Time"])
        wal, images = wal + plan["Plan"]["WAL Bytes"], images + plan["Plan"]["WAL FPI"]
    n = len(numbers)
    return statistics.median(spent), (backend_cpu(conn) - began) / n, wal / n, images / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a database filled by webpages.py --keep")
    parser.add_argument("indexes", nargs="+", help="the indexes compared (dropped, then not)")
    parser.add_argument("--pages", default=PAGES, help="which pages' reads (a regex)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10, help="runs of a page's reads")
    parser.add_argument("--writes", type=int, default=300, help="writes of each kind")
    args = parser.parse_args()
    url = kept_database(args.database)
    pages = captured(url, re.compile(args.pages))
    dsn = f"host=127.0.0.1 user=postgres dbname={args.database}"
    conn = psycopg.connect(dsn, options=PLANS, prepare_threshold=None)  # ours alone
    checkpoints = psycopg.connect(dsn, autocommit=True)
    results: dict[tuple[str, str], list[tuple]] = {}
    for r in range(args.rounds):
        for variant in ("without", "with") if r % 2 == 0 else ("with", "without"):
            checkpoints.execute("CHECKPOINT")
            if variant == "without":
                conn.execute(sql.SQL("DROP INDEX {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, args.indexes))
                ))  # fmt: skip
            for page, statements in pages.items():
                results.setdefault((page, variant), []).append(read(conn, statements, args.runs))
            for kind in WRITES:
                rng = random.Random(f"{r} {kind} {variant}")  # other leads each time
                numbers = [1000 + rng.randrange(1_000_000) for _ in range(args.writes)]
                for label in (kind, f"{kind} again"):
                    results.setdefault((label, variant), []).append(write(conn, kind, numbers))
            conn.rollback()  # the indexes back, the writes undone
        print(f"round {r + 1}: load average {os.getloadavg()[0]:.1f}", flush=True)
    for (what, variant), got in results.items():
        figures = " | ".join(" ".join(f"{x:.2f}" for x in each) for each in got)
        print(f"{what:32} {variant:8} {figures}")


if __name__ == "__main__":
    main()
