"""The reports pages and scores on the web pages, through the web client: a report chosen
by a plain form, its bars and CSV; scores on cards and list rows, sorting by score, a
score explained on the lead page."""

from __future__ import annotations

import re

from leadbook.domain import changes, leads, lifecycle
from leadbook.domain.actor import Actor
from leadbook.models import Contact, LifeCycleState
from leadbook.refdata import config


def _leads(db, reference, n=4, started=2):
    actor = Actor(reference["user"], None)
    made = []
    for i in range(n):
        values = {
            "type": reference["type"],
            "importance": "IMPORTANCE3",
            "priority": 1 + i % 2,
            "topic": f"Deal {i}",
            "contact": Contact(type="PERSON", last_name=f"Buyer {i}"),
        }
        source = changes.Source(type="WEBSITE", name="web" if i % 2 else "fair")
        made.append(leads.create(db, actor, changes.LeadChanges(values=values, source=source)))
    for lead in made[:started]:
        lifecycle.move_to(db, actor, lead, LifeCycleState.IN_PROGRESS)
    db.commit()
    return made


def test_the_nav_links_the_reports_and_the_funnel_draws_its_bars(signed_in, db, reference):
    _leads(db, reference)
    html = signed_in.get("/web/board").text
    assert 'href="/web/reports"' in html
    page = signed_in.get("/web/reports", params={"report": "funnel", "lead_type": "Sales"})
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>(\w+)</td><td>\w+</td><td class=\"num\">(\d+)</td>", page.text)
    assert rows[:3] == [("Reach", "4"), ("Learn", "2"), ("Won", "0")]
    assert 'style="width: 100.0%"' in page.text and 'style="width: 50.0%"' in page.text
    assert "<script" not in page.text.split("<main>")[1]  # no script needed


def test_each_report_page_and_its_csv(signed_in, db, reference):
    _leads(db, reference)
    for name in ("conversion", "time-to-win", "time-in-status", "activity"):
        assert signed_in.get("/web/reports", params={"report": name}).status_code == 200, name
    csv = signed_in.get("/web/reports.csv", params={"report": "conversion", "by": "source_name"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("source,leads,won")
    assert {line.split(",")[0] for line in csv.text.splitlines()[1:]} == {"web", "fair"}


def test_a_bad_filter_is_a_4xx_page_naming_it(signed_in, reference):
    page = signed_in.get("/web/reports", params={"report": "activity", "since": "soon"})
    assert page.status_code == 422 and "since" in page.text
    assert signed_in.get("/web/reports", params={"report": "nope"}).status_code == 404


def test_scores_on_cards_rows_sorting_and_the_lead_page(signed_in, db, reference):
    config.apply(
        db, {"scoring_rules": [{"name": "Urgent", "conditions": {"priority": 1}, "points": 30}]}
    )
    made = _leads(db, reference)
    board = signed_in.get("/web/board").text
    assert "★ 30" in board and "★ 0" in board
    listed = signed_in.get("/web/leads", params={"sort": "score", "desc": "true"}).text
    numbers = [int(n) for n in re.findall(r'<td><a href="/web/leads/(\d+)">', listed)]
    assert numbers[:2] == sorted(lead.number for lead in made if lead.priority == 1)
    assert '<td class="num score">30</td>' in listed
    urgent = next(lead for lead in made if lead.priority == 1)
    detail = signed_in.get(f"/web/leads/{urgent.number}").text
    assert 'id="score">30' in detail and "Urgent" in detail and "priority = 1" in detail
