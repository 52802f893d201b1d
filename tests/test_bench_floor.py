"""The benchmark's floor (bench/floor.py) answers the bench's leads/show and leads/list with
Leadbook's very bytes, and refuses a bad token: it does the same work, so a ratio to it
measures Leadbook's overhead, not a smaller answer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.refdata import demo as demo_data
from tests.conftest import API, BACKEND, log_in
from tests.servers import free_port, running, served

BENCH = Path(__file__).parents[1] / "bench"
sys.path.insert(0, str(BENCH))
import run  # noqa: E402

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="the floor is async psycopg: PostgreSQL only"
)
FILLED = 60  # the bench's own leads (run.fill), beside the demo's
TYPES = ("Software Purchase", "New Customer")
PAGES = ((20, 0), (20, 1), (2, 3), (20, 100))  # (number_of_results, offset)


def _loaded(engine, database_url: str) -> list[int]:
    """Loads the demo and the bench's leads (one lead with every kind of value a user
    field holds), committed; returns the leads' numbers."""
    with Session(engine) as session:
        demo_data.load(session)
        lead = session.scalar(select(m.Lead).order_by(m.Lead.number).limit(1))
        lead.udf_float_1, lead.udf_float_2, lead.udf_float_3 = 2.0, 0.1, 1234.5678
        lead.udf_string_1, lead.udf_date_1 = 'ün "quoted"', lead.start_date
        session.commit()
    run.fill(database_url, FILLED)
    with Session(engine) as session:
        return list(session.scalars(select(m.Lead.number).order_by(m.Lead.number)))


def _floor(database_url: str, log: Path):
    """The floor as bench/run.py serves it."""
    port = free_port()
    env = {**os.environ, "FLOOR_DATABASE_URL": database_url, "FLOOR_POOL_SIZE": "2"}
    return running(run.floor_command(port, 1), port, env, log)


def _same(leadbook: httpx.Client, floor: httpx.Client, path: str, **params) -> object:
    """Asserts both answer ``path`` alike; returns the data."""
    ours, least = leadbook.get(path, params=params), floor.get(path, params=params)
    assert ours.status_code == least.status_code == 200, (ours.text, least.text)
    assert least.json() == ours.json(), params
    assert least.content == ours.content  # so the keys' order too, and 1 is not 1.0
    return ours.json()["data"]


def test_the_floor_answers_show_and_list_as_leadbook_does(database_url, engine, tmp_path):
    numbers = _loaded(engine, database_url)
    with (
        served(database_url, tmp_path / "leadbook.log") as ours,
        _floor(database_url, tmp_path / "floor.log") as least,
        httpx.Client(base_url=ours.url, timeout=30) as leadbook,
        httpx.Client(base_url=least.url, timeout=30) as floor,
    ):
        token = log_in(leadbook)
        shown = [
            _same(leadbook, floor, f"{API}/leads/show", token=token, lead_identifier=f"number={n}")
            for n in numbers
        ]
        listed = [
            _same(
                leadbook,
                floor,
                f"{API}/leads/list",
                token=token,
                type_identifier=f"name={name}",
                priority=priority,
                number_of_results=size,
                offset=offset,
            )
            for name in TYPES
            for priority in range(1, 7)
            for size, offset in PAGES
        ]
        for method, params in (
            ("show", {"lead_identifier": "number=1000"}),
            ("list", {"type_identifier": "name=Software Purchase", "priority": 1}),
        ):
            for client in (leadbook, floor):
                refused = client.get(f"{API}/leads/{method}", params={"token": "bad", **params})
                assert (refused.status_code, refused.json()["status"]["code"]) == (
                    401,
                    "INVALID_TOKEN",
                )
    # every lead, full, short and empty pages, and the values computed for the request's time
    assert len(shown) == len(numbers) > FILLED
    sizes = {len(page) for page in listed}  # type: ignore[arg-type]
    assert {0, 2} <= sizes and max(sizes) > 2, sizes
    for key in ("time_to_completion", "time_overdue"):
        assert any(lead[key]["time_period_value"] is not None for lead in shown), key
    assert any(lead["udf_float_1"] == 2 for lead in shown)
