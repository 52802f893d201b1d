"""The load generator: drives one scenario against a running Leadbook from its own process.

Prints one JSON object: requests, errors, seconds, requests/s, p50 and p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import statistics
import time

import httpx

API = "/crmapi/rest/v2/leads"
FIRST = 1000  # the first lead number the fill uses


def scenario_requests(name: str, token: str, numbers: list[int], pool: list[int]):
    """Returns a function giving the next (method, path, params, json) of ``name``."""
    rng = random.Random(7)
    to_win = iter(pool)
    counter = itertools.count()

    def noop():
        return "GET", "/healthz", None, None

    def show():
        number = rng.choice(numbers)
        return "GET", f"{API}/show", {"token": token, "lead_identifier": f"number={number}"}, None

    def list_():
        params = {
            "token": token,
            "type_identifier": "name=Software Purchase",
            "priority": str(rng.randint(1, 6)),
            "number_of_results": "20",
            "offset": str(rng.randint(0, 100)),
        }
        return "GET", f"{API}/list", params, None

    def create():
        body = {
            "token": token,
            "contact_information": {
                "action": "NEW",
                "type": "PERSON",
                "last_name": f"Bench {next(counter)}",
            },
            "importance": "IMPORTANCE2",
            "priority": 3,
            "type_identifier": {"name": "Software Purchase"},
            "estimated_completion_time": {"time_period_value": 2, "time_period_uot": "WEEKS"},
            "source": {"type": "WEBSITE", "name": "bench"},
            "fields_set": "number",
        }
        return "POST", f"{API}/create", None, body

    def update():
        body = {
            "token": token,
            "lead_identifier": {"number": str(rng.choice(pool))},
            "description": f"bench {next(counter)}",
            "fields_set": "number",
        }
        return "POST", f"{API}/update", None, body

    def win():
        body = {
            "token": token,
            "lead_identifier": {"number": str(next(to_win))},
            "fields_set": "number",
        }
        return "POST", f"{API}/win", None, body

    return {
        "noop": noop,
        "show": show,
        "list": list_,
        "create": create,
        "update": update,
        "win": win,
    }[name]


async def run(url: str, name: str, token: str, numbers, pool, duration: float, concurrency: int):
    next_request = scenario_requests(name, token, numbers, pool)
    latencies: list[float] = []
    errors = 0
    server_errors: list[str] = []
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker():
            nonlocal errors
            while time.perf_counter() < deadline:
                try:
                    method, path, params, body = next_request()
                except StopIteration:
                    return
                start = time.perf_counter()
                try:
                    response = await client.request(method, path, params=params, json=body)
                except httpx.HTTPError as exc:
                    errors += 1
                    server_errors.append(f"transport: {exc!r}")
                    continue
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors += 1
                    if response.status_code >= 500:
                        server_errors.append(response.text[:300])

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    count = len(latencies)
    return {
        "scenario": name,
        "requests": count,
        "errors": errors,
        "server_errors": len(server_errors),
        "first_server_error": server_errors[0] if server_errors else None,
        "seconds": round(elapsed, 2),
        "rps": round(count / elapsed, 1) if elapsed else 0,
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if count else None,
        "p99_ms": round(latencies[min(count - 1, int(count * 0.99))] * 1000, 2) if count else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--max-number", type=int, required=True)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    numbers = list(range(FIRST, args.max_number + 1))
    # the fill makes every lead whose number is 1 modulo 3 In Progress: updates take the
    # even ones, wins the odd ones, so each win meets a lead still In Progress
    open_leads = [n for n in numbers if n % 3 == 1]
    pool = [n for n in open_leads if n % 2 == (1 if args.scenario == "win" else 0)]
    result = asyncio.run(
        run(args.url, args.scenario, args.token, numbers, pool, args.duration, args.concurrency)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
