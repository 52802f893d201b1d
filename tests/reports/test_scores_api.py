"""/api/leads over HTTP: leads sorted by score, a score explained, refusals by name."""

from __future__ import annotations

from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import scoring
from leadbook.refdata import config

BASE = "/api/leads"


def _get(client, token, path="", **params):
    return client.get(BASE + path, params=params, headers={"Authorization": f"Bearer {token}"})


def _rules(db):
    config.apply(
        db,
        {
            "scoring_rules": [
                {"name": "Urgent", "conditions": {"priority": 1}, "points": 50},
                {"name": "Big", "conditions": {"importance": "IMPORTANCE5"}, "points": 7},
            ]
        },
    )
    scoring.recompute(db)
    db.commit()


def test_leads_sorted_by_score_highest_first(client, db, token):
    _rules(db)
    rows = _get(client, token, sort="score", descending="true", limit="500").json()
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    top = db.scalar(select(m.Lead).where(m.Lead.number == rows[0]["number"]))
    assert top.score == scores[0]


def test_a_score_explained(client, db, token):
    _rules(db)
    lead = db.scalar(select(m.Lead).where(m.Lead.priority == 1, m.Lead.score > 0).limit(1))
    body = _get(client, token, f"/{lead.number}/score").json()
    assert body["score"] == lead.score == body["total_now"]
    assert body["parts"][0]["rule"] in ("Urgent", "Big")
    assert {p["rule"]: p["points"] for p in body["parts"]}["Urgent"] == 50


def test_bad_parameters_are_refused_by_name(client, token):
    for params, field in (
        ({"sort": "colour"}, "sort"),
        ({"descending": "maybe"}, "descending"),
        ({"limit": "0"}, "limit"),
        ({"lead_type": "Nope"}, "lead_type"),
        ({"page": "2"}, "page"),
    ):
        answer = _get(client, token, **params)
        assert 400 <= answer.status_code < 500, answer.text
        assert answer.json()["error"]["field"] == field
    assert _get(client, token, "/99999999/score").status_code == 404


def test_scoring_rules_through_the_admin_api_are_checked_by_field(client, db, token):
    answer = client.put(
        "/api/admin/scoring_rules",
        json=[{"name": "Odd", "kind": "sometimes", "points": 3}],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "scoring_rules[0].kind"
    assert db.scalar(select(m.ScoringRule)) is None
