"""The board and the lead list at scale: fills a throw-away PostgreSQL database with N leads
(COPY, the rows of bench/reports.py with an amount, a probability and an expected date
each; the leads' triggers off meanwhile, the summaries they keep filled after, set-based,
then checked against a scan), then times both pages server-side through the real app (a
signed-in TestClient; p50 and p90 of --runs requests after warm-up) in every view
(``variants``) for the administrator and a salesman, with each page's size, elements and
SQL statements. Then opening the closed columns (``unfolding``): the whole board with them open
against each column alone (GET /web/board/column), interleaved, bytes and CPU per view.

    .venv/bin/python bench/webpages.py --leads 1000000 --runs 20
    .venv/bin/python bench/webpages.py --leads 2000           # the demo + 2,000 leads
    .venv/bin/python bench/webpages.py --keep leadbook_web_1m  # fill once, then reuse
    WEBPAGES_ONLY='board, source' .venv/bin/python bench/webpages.py --keep leadbook_web_1m

With --keep NAME the database is NAME, kept afterwards (drop it when done); filled when it
has no leads, otherwise only migrated to the current head and measured again.
WEBPAGES_ONLY (a regular expression) times only the pages whose "who page" it matches
(the unfolding views: "who unfold view", e.g. 'unfold').
"""

from __future__ import annotations

import math
import os
import re
import statistics
import sys
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, func, select

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from reports import LEADS, _history, filled_and_measured, references  # noqa: E402

from leadbook import models as m  # noqa: E402
from leadbook.app import create_app  # noqa: E402
from leadbook.auth import tokens  # noqa: E402
from leadbook.config import Settings  # noqa: E402
from leadbook.db import make_engine, make_sessionmaker  # noqa: E402
from leadbook.domain import totals  # noqa: E402
from leadbook.domain.actor import Actor  # noqa: E402
from leadbook.domain.filters import LeadFilter  # noqa: E402
from leadbook.models import search as search_table  # noqa: E402
from leadbook.models import totals as totals_table  # noqa: E402

PEOPLE = (("admin", "mpadministrator"), ("sales", "mariosm"))
FILTERS = {  # one of each filter the board and the list offer, over the filled leads
    "source type": "source_type=EMAIL",
    "source name": "source_name=source+3",
    "created": "created_from=2026-10-01&created_to=2026-10-31",
    "expected": "expected_from=2026-12-01&expected_to=2026-12-31",
    "amount": "amount_min=1000&amount_max=1100",
    "text": "q=1234",
}


def fill(url: str, count: int) -> None:
    """COPYs ``count`` leads: bench/reports.py's rows, with a target amount (0–8,999), a
    probability to win (0–90 %) and an expected completion (0–119 days after creation)
    each. The leads' triggers are off during the COPY (a row each would cost more than the
    COPY); the summaries they keep (lead search, lead totals) are then written again
    whole by the statements their migrations fill them with, and checked (``checked``)."""
    engine = create_engine(url)
    types, status, users, contact = references(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("ALTER TABLE leads DISABLE TRIGGER USER")  # undone by a rollback
        columns = ", ".join([*LEADS, "target_amount", "probability_to_win"])
        with cursor.copy(f"COPY leads ({columns}, expected_completion_date) FROM STDIN") as copy:
            for i in range(count):
                (lead,), _stays, _events = _history(i, types, status, users, contact)
                expected = lead[LEADS.index("created_date")] + timedelta(days=i % 120)
                copy.write_row((*lead, float(i * 7 % 9000), float(i % 10 * 10), expected))
        cursor.execute("ALTER TABLE leads ENABLE TRIGGER USER")
        began = time.perf_counter()
        for table, statement in (
            ("lead_search", search_table.fill_sql("postgresql")),
            ("lead_totals", totals_table.fill_sql()),
        ):
            cursor.execute(f"DELETE FROM {table}")  # the demo's rows: written again
            cursor.execute(statement)
        print(f"summaries filled in {time.perf_counter() - began:.0f} s", flush=True)
        cursor.execute(f"SELECT setval('lead_numbers', {1000 + count})")
        raw.commit()
    finally:
        raw.close()
    engine.dispose()
    checked(url)


def checked(url: str) -> None:
    """Asserts the summaries equal a scan: every lead has its search text, and the totals
    per status of each type, as the administrator and a salesman read them from
    ``lead_totals``, are those counted from the leads (as tests/domain/test_totals.py)."""
    sessions = make_sessionmaker(make_engine(url))
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(m.Lead)) == db.scalar(
            select(func.count()).select_from(m.LeadSearch)
        ), "lead search misses leads"
        for who, username in PEOPLE:
            user = db.scalar(select(m.User).where(m.User.username == username))
            actor = Actor(user, user.unit)
            for kind in db.scalars(select(m.LeadType)):
                f = LeadFilter(type=kind, assigned_user=None if who == "admin" else user)
                kept, scanned = totals.by_status(db, actor, f), totals.scanned(db, actor, f)
                assert kept.keys() == scanned.keys(), (username, kind.name)
                for status, total in kept.items():
                    other = scanned[status]
                    assert total.count == other.count, (username, kind.name, status)
                    for a, b in ((total.amount, other.amount), (total.weighted, other.weighted)):
                        assert (a is None) == (b is None) and math.isclose(a or 0, b or 0)
    print("summaries checked against a scan", flush=True)


class _Elements(HTMLParser):
    """Counts the elements of a page (its start tags)."""

    count = 0

    def handle_starttag(self, tag, attrs) -> None:
        """Counts one more element."""
        self.count += 1


def elements(html: str) -> int:
    """Returns how many elements ``html`` holds."""
    parser = _Elements()
    parser.feed(html)
    return parser.count


def statements_of(engine: Engine, call) -> int:
    """Returns how many SQL statements ``call`` sends through ``engine``."""
    sent = []

    def record(*_args) -> None:
        """Notes one statement sent."""
        sent.append(1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(sent)


def variants(db, who: str, kind: str) -> dict[str, str]:
    """The addresses timed for ``who``: the board (of type ``kind``) and the list in the
    person's default view (the administrator: everyone's; a salesman: his own), each filter
    alone, the other view (everyone's / my leads), every closed column unfolded, and the
    list's second and fiftieth pages."""
    default, other = ("all", "me") if who == "admin" else ("me", "all")
    board, listed = f"/web/board?type={kind}&owner={default}", f"/web/leads?owner={default}"
    closed = db.scalars(
        select(m.LeadStatus.id).where(
            m.LeadStatus.life_cycle_state.in_(("WON", "LOST", "CANCELLED"))
        )
    )
    pages = {"board": board, "list": listed}
    for name, query in FILTERS.items():
        pages[f"board, {name}"] = f"{board}&{query}"
        pages[f"list, {name}"] = f"{listed}&{query}"
    view = "everyone's" if other == "all" else "my leads"
    pages[f"board, {view}"] = f"/web/board?type={kind}&owner={other}"
    pages[f"list, {view}"] = f"/web/leads?owner={other}"
    pages["board, all unfolded"] = board + "".join(f"&open={s}" for s in closed)
    pages["list, page 2"] = f"{listed}&page=2"
    pages["list, page 50"] = f"{listed}&page=50"
    return pages


def unfolding(client, db, who: str, kind: str, runs: int, only: re.Pattern) -> None:
    """Prints, for ``who``'s default board, what opening closed columns costs: the whole board
    with Won open (the no-JavaScript link) against Won's column alone (htmx), the board with
    all three closed columns open against their three columns (a request each, as three
    clicks), and the default board. The views take turns round by round (A/B/A/B); per view
    its bytes and the medians (p90) of this process's CPU (the app and the client, not
    PostgreSQL's) and of the wall time."""
    shown = f"type={kind}&owner={'all' if who == 'admin' else 'me'}"
    statuses = db.get(m.LeadType, kind).statuses
    closed = [s for s in statuses if s.life_cycle_state in ("WON", "LOST", "CANCELLED")]
    won = next(s.id for s in closed if s.life_cycle_state == "WON")
    column = f"/web/board/column?{shown}"
    views = {
        "default board": [f"/web/board?{shown}"],
        "Won, whole board": [f"/web/board?{shown}&open={won}"],
        "Won, its column": [f"{column}&column={won}"],
        "3 closed, whole board": [f"/web/board?{shown}" + "".join(f"&open={s.id}" for s in closed)],
        "3 closed, 3 columns": [
            column + "".join(f"&open={o.id}" for o in closed[:i]) + f"&column={s.id}"
            for i, s in enumerate(closed)
        ],
    }
    views = {name: views[name] for name in views if only.search(f"{who} unfold {name}")}
    htmx = {"HX-Request": "true"}
    sizes, cpu, wall = {}, {name: [] for name in views}, {name: [] for name in views}
    for name, addresses in views.items():  # warm-up, and each answer checked
        answers = [client.get(a, headers=htmx) for a in addresses]
        assert all(a.status_code == 200 for a in answers), name
        sizes[name] = sum(len(a.content) for a in answers) / 1024
    for _ in range(runs):
        for name, addresses in views.items():
            began, spent = time.perf_counter(), time.process_time()
            for address in addresses:
                client.get(address, headers=htmx)
            cpu[name].append((time.process_time() - spent) * 1000)
            wall[name].append((time.perf_counter() - began) * 1000)
    for name in views:
        p50, p90 = statistics.median(cpu[name]), statistics.quantiles(cpu[name], n=10)[-1]
        print(
            f"{who:5} unfold {name:22} {sizes[name]:6.1f} KB  CPU {p50:6.1f} ms"
            f" (p90 {p90:6.1f})  wall {statistics.median(wall[name]):6.1f} ms  "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def signed_in(db, client: TestClient):
    """Signs ``client`` in as each of PEOPLE in turn; yields who and the lead type's id."""
    kind = db.scalar(select(m.LeadType.id).where(m.LeadType.name == "New Customer"))
    for who, username in PEOPLE:
        user = db.scalar(select(m.User).where(m.User.username == username))
        client.cookies.set("leadbook_session", tokens.issue(db, user, ttl_seconds=3600))
        db.commit()
        yield who, kind


def measure(url: str, runs: int) -> list[dict]:
    """Times every variant of the board and the list for each of PEOPLE (those whose name
    matches $WEBPAGES_ONLY, a regular expression, when set); returns a row per page."""
    only = re.compile(os.environ.get("WEBPAGES_ONLY", ""))
    settings = Settings(database_url=url)
    app = create_app(settings)
    sessions = make_sessionmaker(make_engine(url))
    results = []
    with sessions() as db, TestClient(app) as client:
        for who, kind in signed_in(db, client):
            for page, address in variants(db, who, kind).items():
                if not only.search(f"{who} {page}"):
                    continue
                answer = client.get(address)
                assert answer.status_code == 200, answer.text[:500]
                sql = statements_of(app.state.engine, lambda a=address: client.get(a))
                spent = []
                for _ in range(runs):
                    began = time.perf_counter()
                    client.get(address)
                    spent.append((time.perf_counter() - began) * 1000)
                row = {
                    "who": who,
                    "page": page,
                    "p50": statistics.median(spent),
                    "p90": statistics.quantiles(spent, n=10)[-1],
                    "kb": len(answer.content) / 1024,
                    "elements": elements(answer.text),
                    "leads": len(set(re.findall(r'href="[^"]*/web/leads/(\d+)"', answer.text))),
                    "statements": sql,
                }
                results.append(row)
                print(
                    f"{who:5} {page:22} p50 {row['p50']:7.1f} ms  p90 {row['p90']:7.1f} ms  "
                    f"{row['kb']:6.1f} KB  {row['elements']:5} elements  "
                    f"{row['leads']:3} leads  {sql} statements  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            unfolding(client, db, who, kind, runs, only)
    app.state.engine.dispose()
    return results


def main() -> None:
    filled_and_measured(__doc__, 20, fill, measure)


if __name__ == "__main__":
    main()
