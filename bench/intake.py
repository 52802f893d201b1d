"""Web-form intake's requests/s: ``POST /intake/{key}`` against a served Leadbook.

    python bench/intake.py --db postgres --duration 10 --concurrency 16

Makes a throw-away database (migrated, demo data, the form ``bench``, the intake rate
limits lifted), starts `leadbook serve` and drives it with wrk (bench/load.lua) for
--duration seconds per scenario: ``noop`` (GET /healthz, the stack's yardstick),
``intake`` (a form post, a new person each time: the duplicate check, the double-submit
look-up, assignment rules and the create) and ``create`` (CRM.COM ``leads/create`` of a
new person, the same create through the API face). Prints requests/s, p50, p99, each
scenario's ratio to the no-op and to create, errors, and the load average around the run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import run  # noqa: E402  (bench/run.py: the database, wrk and login helpers)

FORM = """intake_forms:
  - key: bench
    lead_type: New Customer
    user: mariosm
    field_map: {name: last_name, mail: email}
    allowed_origins: [https://bench.example]
"""
START_SECONDS = 180  # a loaded machine takes long to start a server


def serve(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """Starts `leadbook serve` (one worker), waiting for /healthz; its output in ``log``."""
    port = run.free_port()
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(run.BIN / "leadbook"), "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"leadbook serve did not start:\n{log.read_text()[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if run.WRK is None:
        parser.error("the load generator is wrk: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as tmp:
        url, name = run.make_database(args.db, Path(tmp))
        env = {
            **os.environ,
            "LEADBOOK_DATABASE_URL": url,
            "LEADBOOK_INTAKE_PER_FORM": "1000000 per minute",
            "LEADBOOK_INTAKE_PER_ADDRESS": "1000000 per minute",
        }
        try:
            run.leadbook("migrate", env=env)
            run.leadbook("demo", env=env)
            (Path(tmp) / "form.yaml").write_text(FORM)
            run.leadbook("config", "apply", str(Path(tmp) / "form.yaml"), env=env)
            load = os.getloadavg()
            server, base = serve(env, Path(tmp) / "serve.log")
            try:
                token = run.login(base)
                results = {
                    "noop": run.drive(base, "noop", "", 0, args),
                    "intake": run.drive(base, "intake", "bench", 0, args),
                    "create": run.drive(base, "create", token, 0, args),
                }
            finally:
                server.terminate()
                server.wait(30)
        finally:
            run.drop_database(name)
    print(f"{args.db}, {args.concurrency} connections, {args.duration} s per scenario")
    for scenario, r in results.items():
        print(
            f"{scenario:7} {r['rps']:8} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
            f"÷ no-op {r['rps'] / results['noop']['rps']:.3f}  "
            f"÷ create {r['rps'] / results['create']['rps']:.2f}  "
            f"errors {r['errors']} (5xx {r['server_errors']})"
        )
    after = os.getloadavg()
    print(f"load average before {load[0]:.1f}, after {after[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
