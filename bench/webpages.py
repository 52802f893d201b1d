"""The board and the lead list at scale: fills a throw-away PostgreSQL database with N leads
(COPY, the rows of bench/reports.py with an amount and a probability each), then times
both pages server-side through the real app (a signed-in TestClient; p50 and p90 of
--runs requests after warm-up) for the administrator (everyone's leads) and a salesman
(his own: the default view), with each page's size, elements and SQL statements.

    .venv/bin/python bench/webpages.py --leads 1000000 --runs 20
    .venv/bin/python bench/webpages.py --leads 2000           # the demo + 2,000 leads
    .venv/bin/python bench/webpages.py --keep leadbook_web_1m  # fill once, then reuse

With --keep NAME the database is NAME, kept afterwards (drop it when done); filled when it
has no leads, otherwise only migrated to the current head and measured again.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, select

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from reports import LEADS, _history, filled_and_measured, references  # noqa: E402

from leadbook import models as m  # noqa: E402
from leadbook.app import create_app  # noqa: E402
from leadbook.auth import tokens  # noqa: E402
from leadbook.config import Settings  # noqa: E402
from leadbook.db import make_engine, make_sessionmaker  # noqa: E402

PEOPLE = (("admin", "mpadministrator", "all"), ("sales", "mariosm", "me"))


def fill(url: str, count: int) -> None:
    """COPYs ``count`` leads: bench/reports.py's rows, with a target amount (0–8,999) and
    a probability to win (0–90 %) each."""
    engine = create_engine(url)
    types, status, users, contact = references(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        columns = ", ".join([*LEADS, "target_amount", "probability_to_win"])
        with cursor.copy(f"COPY leads ({columns}) FROM STDIN") as copy:
            for i in range(count):
                (lead,), _stays, _events = _history(i, types, status, users, contact)
                copy.write_row((*lead, float(i * 7 % 9000), float(i % 10 * 10)))
        cursor.execute(f"SELECT setval('lead_numbers', {1000 + count})")
        raw.commit()
    finally:
        raw.close()
    engine.dispose()


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


def measure(url: str, runs: int) -> list[dict]:
    """Times the board and the list for each of PEOPLE; returns a row per page and person."""
    settings = Settings(database_url=url)
    app = create_app(settings)
    sessions = make_sessionmaker(make_engine(url))
    results = []
    with sessions() as db, TestClient(app) as client:
        kind = db.scalar(select(m.LeadType.id).where(m.LeadType.name == "New Customer"))
        for who, username, owner in PEOPLE:
            user = db.scalar(select(m.User).where(m.User.username == username))
            client.cookies.set("leadbook_session", tokens.issue(db, user, ttl_seconds=3600))
            db.commit()
            pages = {
                "board": f"/web/board?type={kind}&owner={owner}",
                "list": f"/web/leads?owner={owner}",
            }
            if who == "admin":  # the closed columns unfolded too: every column's cards
                closed = db.scalars(
                    select(m.LeadStatus.id).where(
                        m.LeadStatus.life_cycle_state.in_(("WON", "LOST", "CANCELLED"))
                    )
                )
                pages["board, all open"] = pages["board"] + "".join(f"&open={s}" for s in closed)
            for page, address in pages.items():
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
                    f"{who:5} {page:15} p50 {row['p50']:7.1f} ms  p90 {row['p90']:7.1f} ms  "
                    f"{row['kb']:6.1f} KB  {row['elements']:5} elements  "
                    f"{row['leads']:3} leads  {sql} statements",
                    flush=True,
                )
    app.state.engine.dispose()
    return results


def main() -> None:
    filled_and_measured(__doc__, 20, fill, measure)


if __name__ == "__main__":
    main()
