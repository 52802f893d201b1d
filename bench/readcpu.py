"""Python CPU per CRM.COM read, in one process (no server, no load generator).

    python bench/readcpu.py --db postgres --leads 10000 --requests 300
    PYTHONPATH=/path/to/other/checkout/src python bench/readcpu.py …   # another version

Fills a throw-away database as run.py does, then sends ``--requests`` shows (a random
lead, the whole object) and list pages (run.py's list: a type, a priority, 20 leads from
an offset) through FastAPI's TestClient, and prints the process CPU time
(``time.process_time``) and the wall time per request, beside a no-op (``/healthz``) sent
the same way: the difference is what the read costs in Python.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import run  # noqa: E402  (bench/run.py: the database and its leads)

API = "/crmapi/rest/v2"


def measure(client, paths: list[str]) -> tuple[float, float]:
    """Returns (CPU ms, wall ms) per request of ``paths``, each answered OK."""
    cpu, wall = time.process_time(), time.perf_counter()
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, answer.text[:300]
    n = len(paths)
    return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, name = run.make_database(args.db, Path(tmp))
        env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
        try:
            for step in (["migrate"], ["demo"]):
                subprocess.run([str(run.BIN / "leadbook"), *step], env=env, check=True)
            run.fill(url, args.leads)
            report(url, args)
        finally:
            run.drop_database(name)


def report(url: str, args) -> None:
    from fastapi.testclient import TestClient

    from leadbook.app import create_app
    from leadbook.config import Settings

    app = create_app(Settings(database_url=url, token_ttl_seconds=86400))
    rnd = random.Random(1)
    with TestClient(app) as client:
        token = client.post(
            f"{API}/authentication/token",
            json={
                "username": "mpadministrator",
                "password": "leadbook-demo",
                "organisation": "LEADBOOK",
            },
        ).json()["data"]["token"]
        numbers = range(run.FIRST, run.FIRST + args.leads)
        shows = [
            f"{API}/leads/show?token={token}&lead_identifier=number={rnd.choice(numbers)}"
            for _ in range(args.requests)
        ]
        pages = [
            f"{API}/leads/list?token={token}&type_identifier=name=Software%20Purchase"
            f"&priority={rnd.randint(1, 6)}&number_of_results=20&offset={rnd.randint(0, 100)}"
            for _ in range(args.requests)
        ]
        noop = ["/healthz"] * args.requests
        for paths in (noop, shows, pages):  # warm up: compiled SQL, prepared statements
            measure(client, paths[:20])
        print(f"{args.db}, {args.leads} leads, {args.requests} requests each; ms per request")
        base = measure(client, noop)
        print(f"{'no-op':8} CPU {base[0]:7.2f}  wall {base[1]:7.2f}")
        for label, paths in (("show", shows), ("page", pages)):
            cpu, wall = measure(client, paths)
            print(
                f"{label:8} CPU {cpu:7.2f}  wall {wall:7.2f}  over the no-op {cpu - base[0]:7.2f}"
            )


if __name__ == "__main__":
    main()
