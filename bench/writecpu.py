"""Python CPU per CRM.COM write, in one process, two checkouts alternated on one database.

    python bench/writecpu.py --other /path/to/main --leads 10000 --requests 300 --rounds 3

Fills a throw-away PostgreSQL database as run.py does (once), then runs ``--rounds`` times
each checkout in turn (this one, ``--other``: A/B/A/B, so both meet the same load) in a
process of its own (``PYTHONPATH`` its ``src``), which sends ``--requests`` updates (a random
In Progress lead's description), creates (a new person) and wins (run.py's bodies,
``fields_set=number``) through FastAPI's TestClient after a warm-up, and prints the process
CPU time (``time.process_time``) per request of each, with the load average, and the
Python function calls per request (``COUNTED`` more of each, profiled: steady under load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import run  # noqa: E402  (bench/run.py: the database and its leads)

API = "/crmapi/rest/v2/leads/"
COUNTED = 20  # requests of each write whose Python calls are counted
HERE = Path(__file__).resolve().parents[1]


def _bodies(kind: str, token: str, count: int, seed: int, leads: int, start: int) -> list[dict]:
    """``count`` bodies of ``kind``, as load.lua sends them (wins from the ``start``-th
    open lead on: each a lead of its own)."""
    rnd = random.Random(seed)
    last = run.FIRST + leads - 1
    base = {"token": token, "fields_set": "number"}
    if kind == "create":
        return [
            {
                **base,
                "contact_information": {
                    "action": "NEW",
                    "type": "PERSON",
                    "last_name": f"Cpu {seed} {i}",
                },
                "importance": "IMPORTANCE2",
                "priority": 3,
                "type_identifier": {"name": "Software Purchase"},
                "estimated_completion_time": {"time_period_value": 2, "time_period_uot": "WEEKS"},
                "source": {"type": "WEBSITE", "name": "bench"},
            }
            for i in range(count)
        ]
    residue = 4 if kind == "update" else 1  # load.lua: updates 4, wins 1 modulo 6
    first = run.FIRST + (residue - run.FIRST % 6) % 6
    numbers = list(range(first, last + 1, 6))
    if kind == "update":
        chosen = [rnd.choice(numbers) for _ in range(count)]
        return [
            {**base, "lead_identifier": {"number": str(n)}, "description": f"cpu {i}"}
            for i, n in enumerate(chosen)
        ]
    assert start + count <= len(numbers), "too few open leads for the wins asked"
    return [
        {**base, "lead_identifier": {"number": str(numbers[(start + i) % len(numbers)])}}
        for i in range(count)
    ]


def _counter() -> list[int]:
    """Counts the Python function calls of every thread started from now on."""
    calls = [0]

    def count(_frame, event, _arg) -> None:
        if event == "call":
            calls[0] += 1

    threading.setprofile(count)
    return calls


def measure(url: str, requests: int, seed: int, leads: int) -> dict[str, float]:
    """CPU ms per request of each write, in this process (the checkout on sys.path), then
    the Python function calls per request the app's threads make (a second client, its
    threads profiled: a figure the machine's load does not move)."""
    from fastapi.testclient import TestClient

    from leadbook.app import create_app
    from leadbook.config import Settings

    app = create_app(Settings(database_url=url, token_ttl_seconds=86400))
    figures = {}
    with TestClient(app) as client:
        token = client.post(
            "/crmapi/rest/v2/authentication/token",
            json={
                "username": "mpadministrator",
                "password": "leadbook-demo",
                "organisation": "LEADBOOK",
            },
        ).json()["data"]["token"]
        for kind in ("update", "create", "win"):
            start = seed * (requests + COUNTED + 40)
            warm = _bodies(kind, token, 30, seed + 1000, leads, start)
            timed = _bodies(kind, token, requests, seed, leads, start + 30)
            for body in warm:
                client.post(API + kind, json=body)
            cpu = time.process_time()
            for body in timed:
                answer = client.post(API + kind, json=body)
                assert answer.status_code == 200, answer.text[:300]
            figures[kind] = (time.process_time() - cpu) * 1000 / requests
    calls = _counter()
    with TestClient(app) as client:
        for kind in ("update", "create", "win"):
            start = seed * (requests + COUNTED + 40) + 30 + requests
            bodies = _bodies(kind, token, COUNTED + 10, seed + 2000, leads, start)
            for body in bodies[:10]:
                client.post(API + kind, json=body)
            before = calls[0]
            for body in bodies[10:]:
                answer = client.post(API + kind, json=body)
                assert answer.status_code == 200, answer.text[:300]
            figures[f"{kind} calls"] = (calls[0] - before) / COUNTED
    threading.setprofile(None)  # type: ignore[arg-type]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--other", type=Path, required=True, help="the other checkout")
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # url,requests,seed,leads
    args = parser.parse_args()
    if args.measure:
        url, requests, seed, leads = args.measure.split(",")
        print(json.dumps(measure(url, int(requests), int(seed), int(leads))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url, name = run.make_database("postgres", Path(tmp))
        env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
        try:
            for step in (["migrate"], ["demo"]):
                subprocess.run([str(run.BIN / "leadbook"), *step], env=env, check=True)
            run.fill(url, args.leads)
            checkouts = {"this": HERE, "other": args.other.resolve()}
            for round_ in range(args.rounds):
                for label, root in checkouts.items():
                    seed = round_ * 2 + (label == "other")
                    given = f"{url},{args.requests},{seed},{args.leads}"
                    out = subprocess.run(
                        [sys.executable, __file__, "--other", ".", "--measure", given],
                        env={**os.environ, "PYTHONPATH": str(root / "src")},
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout.splitlines()[-1]
                    load = os.getloadavg()[0]
                    cpu = json.loads(out)
                    shown = "  ".join(f"{k} {v:.2f}" for k, v in cpu.items())
                    print(f"round {round_ + 1} {label:5} ms CPU / calls: {shown}  load {load:.2f}")
        finally:
            run.drop_database(name)


if __name__ == "__main__":
    main()
