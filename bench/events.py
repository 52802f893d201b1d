"""Events benchmark on PostgreSQL: webhook delivery throughput and lag with 1 and 2
workers, and the cost of a lead write with subscriptions (and a worker) present.

    .venv/bin/python bench/events.py [--events 2000] [--writes 200] [--rounds 6] [--no-delivery]

Each run makes a throw-away database (migrated, demo data), a receiver in a process of
its own (bench/receiver.py) and real `leadbook worker` processes:
- throughput: a backlog of --events events (50 leads) committed at once, timed until the
  receiver has them all;
- lag: events committed one per transaction at ~200/s; lag = arrival − commit, p50/p99;
- write cost: --writes lead updates through the domain (one transaction each) per round,
  in three phases whose order rotates round by round (so a change in the machine's load
  falls on each alike): without subscriptions; with 3 while the workers are stopped
  (SIGSTOP: what subscriptions cost the write itself); with 3 while the workers deliver
  each write's events to the receiver (the write then shares the machine with the worker
  and the receiver). The ratios of the medians, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import create_engine, select, text

from leadbook import models as m
from leadbook.db import make_engine, make_sessionmaker, transaction
from leadbook.domain import feed, leads, subscriptions
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _arrivals(path: Path) -> dict[int, float]:
    found: dict[int, float] = {}
    for line in path.read_text().splitlines():
        ident, at = line.split()
        found.setdefault(int(ident.removeprefix("evt_")), float(at))
    return found


def _wait(path: Path, positions: Iterable[int], bound: float = 600) -> dict[int, float]:
    """Waits until every event of ``positions`` arrived; returns position → arrival."""
    wanted = set(positions)
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        got = _arrivals(path)
        if wanted <= set(got):
            return got
        time.sleep(0.2)
    raise SystemExit(f"{len(wanted - set(_arrivals(path)))} events did not arrive")


def _emit(factory, count: int, per: int, pause: float = 0.0) -> dict[int, float]:
    """Commits ``count`` events (``per`` a transaction); returns position → commit time."""
    kind = m.LeadType(id="T" * 32, name="Bench")
    status = m.LeadStatus(id="S" * 32, name="Bench")
    committed: dict[int, float] = {}
    for first in range(0, count, per):
        made = []
        with transaction(factory) as db:
            for index in range(first, min(first + per, count)):
                lead = m.Lead(
                    id=f"{index % 50:032d}",
                    number=index % 50 + 1,
                    type=kind,
                    type_id=kind.id,
                    status=status,
                    life_cycle_state="PENDING",
                )
                made.append(feed.publish(db, lead, None, "lead.updated", {"changes": {}}))
        now = time.time()
        committed.update({e.position: now for e in made})
        time.sleep(pause)
    return committed


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def _writes(factory, count: int) -> float:
    """Median ms of ``count`` lead updates, one transaction each."""
    spent = []
    with factory() as db:
        admin = db.scalar(select(m.User).where(m.User.username == "mpadministrator"))
        numbers = list(
            db.scalars(
                select(m.Lead.number).where(m.Lead.life_cycle_state.in_(("PENDING", "IN_PROGRESS")))
            )
        )
    for index in range(count):
        start = time.perf_counter()
        with transaction(factory) as db:
            actor = Actor(user=db.merge(admin), unit=None, via="bench")
            lead = db.scalar(select(m.Lead).where(m.Lead.number == numbers[index % len(numbers)]))
            leads.update(db, actor, lead, LeadChanges(values={"priority": 1 + index % 5}))
        spent.append((time.perf_counter() - start) * 1000)
    return statistics.median(spent)


def _subscribe(factory, port: int, *, present: bool) -> None:
    """Makes the 3 subscriptions to the receiver (``present``), or deletes them."""
    with transaction(factory) as db:
        for index in range(3):
            name = f"bench{index}"
            if present:
                subscriptions.save(db, name, {"url": f"http://127.0.0.1:{port}/h"})
            elif db.scalar(select(m.WebhookSubscription).filter_by(name=name)) is not None:
                db.delete(subscriptions.find(db, name))


def _drained(factory) -> None:
    """Waits until every subscription has taken up every event and none is pending."""
    while True:
        with factory() as db:
            last = feed.last_position(db)
            behind = db.scalar(
                select(m.WebhookSubscription.id).where(m.WebhookSubscription.position < last)
            )
            pending = db.scalar(select(m.WebhookDelivery.id).filter_by(state="pending"))
        if behind is None and pending is None:
            return
        time.sleep(0.2)


def _write_cost(factory, port: int, workers, writes: int, rounds: int) -> dict[str, list]:
    """Median ms of ``writes`` updates per round in three phases, in an order rotating
    round by round (a rising or falling load falls on each alike): ``none`` without
    subscriptions, ``present`` with 3 while the workers are stopped (SIGSTOP: the write's
    own cost), ``delivering`` with 3 while the workers deliver each write's events."""
    spent: dict[str, list] = {"none": [], "present": [], "delivering": []}
    order = list(spent)
    for index in range(rounds):
        for phase in order[index % 3 :] + order[: index % 3]:
            _subscribe(factory, port, present=phase != "none")
            if phase == "present":
                for proc in workers:
                    os.kill(proc.pid, signal.SIGSTOP)
            try:
                spent[phase].append(_writes(factory, writes))
            finally:
                for proc in workers:
                    os.kill(proc.pid, signal.SIGCONT)
            _drained(factory)
    _subscribe(factory, port, present=False)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6, help="Write-cost rounds of each kind")
    parser.add_argument("--no-delivery", action="store_true", help="Only the write cost")
    args = parser.parse_args()
    name = f"leadbook_bench_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    env = {**os.environ, "LEADBOOK_DATABASE_URL": url, "LEADBOOK_WORKER_POLL_SECONDS": "0.05"}
    procs: list[subprocess.Popen] = []
    try:
        subprocess.run([BIN / "leadbook", "migrate"], env=env, check=True)
        subprocess.run([BIN / "leadbook", "demo"], env=env, check=True, capture_output=True)
        factory = make_sessionmaker(make_engine(url))
        with tempfile.TemporaryDirectory() as tmp:
            arrivals = Path(tmp) / "arrivals"
            arrivals.touch()
            port = 18000 + os.getpid() % 1000
            procs.append(
                subprocess.Popen([sys.executable, HERE / "receiver.py", arrivals, str(port)])
            )
            time.sleep(1)
            _writes(factory, 20)  # warm up
            _subscribe(factory, port, present=True)
            for workers in () if args.no_delivery else (1, 2):
                for _ in range(workers - sum(p.args[-1] == "worker" for p in procs)):
                    procs.append(subprocess.Popen([BIN / "leadbook", "worker"], env=env))
                time.sleep(8)  # the workers start
                start = time.time()
                committed = _emit(factory, args.events, per=args.events)
                got = _wait(arrivals, committed)
                took = max(got[p] for p in committed) - start
                committed = _emit(factory, 1000, per=1, pause=0.005)
                got = _wait(arrivals, committed)
                lags = [(got[p] - at) * 1000 for p, at in committed.items()]
                print(
                    f"{workers} worker(s): {args.events / took:.0f} events/s "
                    f"(3 subscriptions: {3 * args.events / took:.0f} deliveries/s); "
                    f"lag p50 {_pct(lags, 50):.0f} ms, p99 {_pct(lags, 99):.0f} ms"
                )
            if args.no_delivery:
                procs.append(subprocess.Popen([BIN / "leadbook", "worker"], env=env))
                time.sleep(8)
            running = [p for p in procs if p.args[-1] == "worker"]
            _subscribe(factory, port, present=False)
            load = os.getloadavg()
            spent = _write_cost(factory, port, running, args.writes, args.rounds)
            a = statistics.median(spent["none"])
            b, c = statistics.median(spent["delivering"]), statistics.median(spent["present"])

            def paired(phase: str) -> float:  # the median of each round's ratio to "none"
                ratios = [x / y for x, y in zip(spent[phase], spent["none"], strict=True)]
                return statistics.median(ratios)

            print(
                f"write (update, one transaction), median of {args.rounds} rounds of "
                f"{args.writes} in rotating order: {a:.1f} ms without subscriptions; with 3 "
                f"subscriptions {c:.1f} ms while the worker is stopped (ratio {c / a:.3f}, "
                f"per round {paired('present'):.3f}), {b:.1f} ms while it delivers each "
                f"write's events (ratio {b / a:.3f}, per round {paired('delivering'):.3f}); "
                f"rounds { ({k: [round(x, 1) for x in v] for k, v in spent.items()}) }; "
                f"load average (1, 5, 15 min) {load} before, {os.getloadavg()} after"
            )
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(20)
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
