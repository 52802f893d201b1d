"""Leadbook's benchmark: a real server, N leads, load from a separate process.

    python bench/run.py --db sqlite --leads 10000
    python bench/run.py --db postgres --leads 10000 --leads 1000000 --workers 1 2 4

For each database size it fills a throw-away database, starts `leadbook serve`, and runs
each scenario (noop = /healthz on the same stack, show, list with a filter, create,
update, win) for --duration seconds with wrk (bench/load.lua), printing requests/s, p50,
p99, the ratio to the no-op and the server's memory before and after. Results are also
written to bench/results/<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
import fillsql  # noqa: E402

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIRST = 1000
SCENARIOS = ("noop", "show", "list", "create", "update", "win")
# the floor's scenario each one is measured against (bench/floor.py; PostgreSQL only)
FLOOR = {"noop": "noop", "show": "show", "list": "list", "create": "create"}
FLOOR |= {"update": "update", "win": "update"}
console = Console()
WRK = shutil.which("wrk")  # the load generator (Debian package wrk)
COLUMNS = [
    "id",
    "number",
    "version",
    "life_cycle_state",
    "type_id",
    "status_id",
    "category_id",
    "importance",
    "priority",
    "start_date",
    "expected_completion_date",
    "estimated_time_value",
    "estimated_time_uot",
    "contact_id",
    "accounts_receivable_id",
    "source_type",
    "source_name",
    "assigned_user_id",
    "created_date",
    "updated_date",
    "created_by_user_id",
    "updated_by_user_id",
    "target_amount",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_database(kind: str, workdir: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", None
    name = f"leadbook_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", name


def drop_database(name: str | None) -> None:
    if name:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def leadbook(*args: str, env: dict) -> None:
    subprocess.run([str(BIN / "leadbook"), *args], env=env, check=True, capture_output=True)


def fill(url: str, count: int) -> dict[str, float]:
    """Inserts ``count`` leads numbered from 1000, a third each Pending, In Progress, Won
    (the leads' triggers off, their summaries written after: bench/fillsql.py); returns the
    seconds each step took."""
    engine = create_engine(url)
    with engine.begin() as conn:
        ref = lambda sql: conn.execute(text(sql)).scalar_one()  # noqa: E731
        types = [
            ref("select id from lead_types where name='Software Purchase'"),
            ref("select id from lead_types where name='New Customer'"),
        ]
        status = {
            s: ref(f"select id from lead_statuses where name='{n}'")
            for s, n in (("PENDING", "Reach"), ("IN_PROGRESS", "Learn"), ("WON", "Won"))
        }
        category = ref("select id from lead_categories where name='Software Purchase'")
        admin = ref("select id from users where username='mpadministrator'")
        # customers with their account, so a win never has to open one
        customers = [
            tuple(r) for r in conn.execute(text("select owner_id, id from accounts_receivable"))
        ]
    start = datetime(2026, 1, 1, 9, 0)
    states = ("WON", "IN_PROGRESS", "PENDING")  # by number % 3

    def row(number: int) -> tuple:
        state = states[number % 3]
        begun = start + timedelta(minutes=number % 50000)
        return (
            uuid.uuid4().hex.upper(),
            number,
            1,
            state,
            types[number % 2],
            status[state],
            category,
            f"IMPORTANCE{1 + number % 5}",
            1 + (number // 2) % 6,  # independent of the type (number % 2)
            begun,
            begun + timedelta(days=30),
            1,
            "MONTHS",
            *customers[number % len(customers)],
            "WEBSITE",
            "bench",
            admin,
            begun,
            begun,
            admin,
            admin,
            float(number % 9000),
        )

    numbers = range(FIRST, FIRST + count)
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    took, began = {}, time.perf_counter()

    def step(name: str) -> None:
        nonlocal began
        took[name], began = round(time.perf_counter() - began, 1), time.perf_counter()

    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with fillsql.untriggered(cursor, dialect):
            if dialect == "postgresql":
                with cursor.copy(f"COPY leads ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for number in numbers:
                        copy.write_row(row(number))
                cursor.execute(f"SELECT setval('lead_numbers', {FIRST + count})")
            else:
                cursor.execute("PRAGMA synchronous=OFF")
                marks = ", ".join("?" for _ in COLUMNS)
                sql = f"INSERT INTO leads ({', '.join(COLUMNS)}) VALUES ({marks})"
                for low in range(FIRST, FIRST + count, 50000):
                    batch = range(low, min(low + 50000, FIRST + count))
                    cursor.executemany(sql, [row(n) for n in batch])
                cursor.execute(f"INSERT OR REPLACE INTO counters VALUES ('lead', {FIRST + count})")
        step("rows")
        fillsql.summarise(cursor, dialect)
        raw.commit()
        step("summaries")
        if wrong := fillsql.check(raw.cursor(), dialect):
            raise RuntimeError(f"the summaries differ from a scan: {wrong}")
        step("check")
    finally:
        raw.close()
    engine.dispose()
    analyse(url)
    step("analyse")
    return took


def analyse(url: str) -> None:
    """VACUUM ANALYZE (PostgreSQL) or ANALYZE (SQLite): the statistics and, on PostgreSQL,
    the visibility map autovacuum would give the filled tables (index-only scans need it)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
    engine.dispose()


def rss_kb(pid: int) -> int:
    """Returns the resident memory of ``pid`` and its descendants, in KiB."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(c) for c in children]
        except FileNotFoundError:
            continue
    return total


def floor_command(port: int, workers: int) -> list[str]:
    """The command serving the floor (bench/floor.py) on the same uvicorn and HTTP parser as
    Leadbook; it reads its database from ``FLOOR_DATABASE_URL``."""
    command = [str(BIN / "uvicorn"), "floor:app", "--app-dir", str(HERE), "--http", "h11"]
    return command + ["--no-access-log", "--port", str(port), "--workers", str(workers)]


def serve(env: dict, workers: int, app: str = "leadbook") -> tuple[subprocess.Popen, str]:
    """Starts ``app`` (leadbook, or the floor)."""
    port = free_port()
    command = [str(BIN / "leadbook"), "serve", "--port", str(port), "--workers", str(workers)]
    if app == "floor":
        command = floor_command(port, workers)
        env = {**env, "FLOOR_DATABASE_URL": env["LEADBOOK_DATABASE_URL"]}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"{app} did not start")


def drive(url: str, scenario: str, token: str, count: int, args, warmup: bool = False) -> dict:
    """Runs ``scenario`` for --duration seconds with wrk and bench/load.lua (a warm-up:
    for --warmup seconds, its wins taken from the second half of the open leads)."""
    out = subprocess.run(
        [
            WRK,
            "-t1",
            f"-c{args.concurrency}",
            f"-d{args.warmup if warmup else args.duration}s",
            "--timeout",
            "30s",
            "-s",
            str(HERE / "load.lua"),
            url,
            "--",
            scenario,
            token,
            str(FIRST),
            str(FIRST + count - 1),
            str(count // 12 if warmup else 0),
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"wrk failed:\n{out.stderr[-2000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    seconds = result.pop("seconds")
    return {
        "scenario": scenario,
        **result,
        "seconds": round(seconds, 2),
        "rps": round(result["requests"] / seconds, 1) if seconds else 0,
    }


def login(url: str) -> str:
    answer = httpx.post(
        url + "/crmapi/rest/v2/authentication/token",
        json={
            "username": "mpadministrator",
            "password": "leadbook-demo",
            "organisation": "LEADBOOK",
        },
    )
    return answer.json()["data"]["token"]


def bench(args, count: int) -> list[dict]:
    """Fills one database with ``count`` leads, then runs the scenarios per worker count
    (every scenario with the first, the read scenarios with the others)."""
    with tempfile.TemporaryDirectory() as tmp:
        url, name = make_database(args.db, Path(tmp))
        env = {**os.environ, "LEADBOOK_DATABASE_URL": url, "LEADBOOK_TOKEN_TTL_SECONDS": "86400"}
        try:
            leadbook("migrate", env=env)
            leadbook("demo", env=env)
            began = time.perf_counter()
            steps = fill(url, count)
            console.print(
                f"[dim]{args.db}: filled {count:,} leads in "
                f"{time.perf_counter() - began:.0f} s {steps}, load {os.getloadavg()}[/dim]"
            )
            results = []
            for workers in args.workers:
                scenarios = (
                    args.scenarios
                    if workers == args.workers[0]
                    else [s for s in args.scenarios if s in ("noop", "show", "list")]
                )
                results += run_server(args, env, count, workers, scenarios)
                if args.db == "postgres":
                    floor = [s for s in FLOOR.values() if s in {FLOOR[x] for x in scenarios}]
                    results += run_server(
                        args, env, count, workers, list(dict.fromkeys(floor)), "floor"
                    )
            return results
        finally:
            drop_database(name)


def run_server(args, env: dict, count: int, workers: int, scenarios, app="leadbook") -> list[dict]:
    server, base = serve(env, workers, app)
    try:
        token = args.token = getattr(args, "token", None) if app == "floor" else login(base)
        results = []
        for scenario in scenarios:
            # each process's first requests prepare its statements, for seconds under load:
            # warm up again while fewer requests than connections came back
            for _ in range(5 if args.warmup else 0):
                warm = drive(base, scenario, token, count, args, warmup=True)
                if warm["requests"] >= args.concurrency:
                    break
            before = rss_kb(server.pid)
            result = drive(base, scenario, token, count, args)
            result.update(
                app=app,
                db=args.db,
                leads=count,
                workers=workers,
                rss_before_mb=round(before / 1024, 1),
                rss_after_mb=round(rss_kb(server.pid) / 1024, 1),
                load=round(os.getloadavg()[0], 1),
            )
            results.append(result)
            console.print(f"[dim]{json.dumps(result)}[/dim]")
        return results
    finally:
        server.terminate()
        server.wait(30)


def report(results: list[dict]) -> None:
    table = Table(title="Leadbook benchmark")
    for column in (
        "db",
        "leads",
        "workers",
        "app",
        "scenario",
        "req/s",
        "p50 ms",
        "p99 ms",
        "÷ floor",
        "÷ no-op",
        "errors",
        "RSS MB before→after",
    ):
        table.add_column(column)
    rate = {(r["app"], r["db"], r["leads"], r["workers"], r["scenario"]): r["rps"] for r in results}
    for r in results:
        key = (r["db"], r["leads"], r["workers"])
        floor = rate.get(("floor", *key, FLOOR[r["scenario"]]))
        noop = rate.get((r["app"], *key, "noop"))
        table.add_row(
            r["db"],
            f"{r['leads']:,}",
            str(r["workers"]),
            r["app"],
            r["scenario"],
            str(r["rps"]),
            str(r["p50_ms"]),
            str(r["p99_ms"]),
            f"{r['rps'] / floor:.2f}" if floor and r["app"] == "leadbook" else "-",
            f"{r['rps'] / noop:.2f}" if noop else "-",
            str(r["errors"]),
            f"{r['rss_before_mb']}→{r['rss_after_mb']}",
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--leads", type=int, action="append")
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2, help="seconds per scenario, 0: none")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    args = parser.parse_args()
    if WRK is None:
        parser.error("the load generator is wrk: apt-get install -y wrk")
    results = []
    for count in args.leads or [10_000]:
        results += bench(args, count)
    report(results)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{datetime.now():%Y%m%d-%H%M%S}-{args.db}.json"
    path.write_text(json.dumps(results, indent=2))
    console.print(f"results: {path}")


if __name__ == "__main__":
    main()
