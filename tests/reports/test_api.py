"""/api/reports over HTTP: JSON and CSV answers on a crafted history, refusals naming the
parameter at fault (and changing nothing), each caller's reports over the leads it sees."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.domain.actor import Actor
from tests.domain.test_reports import T0, History, craft

BASE = "/api/reports"
PERIOD = {"since": T0.date().isoformat(), "until": "2032-06-02", "lead_type": "Crafted"}


@pytest.fixture
def history(db, actor) -> History:
    return craft(db, actor)


@pytest.fixture
def actor(db, demo):
    return Actor(db.scalar(select(m.User).where(m.User.username == "mpadministrator")), None)


def _get(client, token, path, **params):
    return client.get(f"{BASE}/{path}", params=params, headers={"Authorization": f"Bearer {token}"})


def test_the_funnel_as_json(client, token, history):
    answer = _get(client, token, "funnel", **PERIOD)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(s["status"], s["leads"], s["drop_off_percent"]) for s in body["stages"]] == [
        ("Reach", 10, 40.0),
        ("Interest", 6, 50.0),
        ("Proposal", 3, 33.3),
        ("Won", 2, None),
    ]


def test_each_report_exports_csv(client, token, history):
    answer = _get(client, token, "conversion", by="source_name", format="csv", **PERIOD)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert 'filename="conversion.csv"' in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:3] == ["source", "leads", "won"]
    assert rows[1][:3] == ["alpha", "5", "2"] and rows[2][:3] == ["beta", "5", "0"]
    won = list(
        csv.reader(io.StringIO(_get(client, token, "time-to-win", format="csv", **PERIOD).text))
    )
    assert won == [["won", "median_days", "p90_days"], ["2", "7.0", "8.6"]]
    for path in ("funnel", "time-in-status", "activity"):
        answer = _get(client, token, path, format="csv", **PERIOD)
        assert answer.status_code == 200 and answer.text.count("\n") > 1, path


def test_time_in_status_and_activity_as_json(client, token, history):
    stays = {r["status"]: r["time"] for r in _get(client, token, "time-in-status", **PERIOD).json()}
    assert stays["Interest"]["count"] == 4
    users = _get(client, token, "activity", **PERIOD).json()
    assert users[0]["username"] == "mpadministrator" and users[0]["actions"]["create"] == 10


@pytest.mark.parametrize(
    ("path", "params", "field", "status"),
    [
        ("funnel", {}, "lead_type", 400),
        ("funnel", {"lead_type": "Nope"}, "lead_type", 404),
        ("conversion", {"since": "yesterday"}, "since", 422),
        ("conversion", {"since": "2032-05-03", "until": "2032-05-01"}, "until", 422),
        ("conversion", {"by": "colour"}, "by", 422),
        ("activity", {"unit": "No Such Unit"}, "unit", 404),
        ("activity", {"user": "nobody"}, "user", 404),
        ("time-to-win", {"format": "xls"}, "format", 422),
        ("time-in-status", {"colour": "red"}, "colour", 422),
    ],
)
def test_bad_parameters_are_refused_by_name(client, token, demo, path, params, field, status):
    answer = _get(client, token, path, **params)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["field"] == field


def test_no_credentials_no_reports(client, demo):
    assert client.get(f"{BASE}/activity").status_code == 401


def test_a_salesman_gets_reports_over_his_leads(client, db, history):
    key = tokens.issue_api_key(db, history.salesman, label="reports")
    db.commit()
    answer = client.get(f"{BASE}/funnel", params=PERIOD, headers={"X-Api-Key": key})
    assert [s["leads"] for s in answer.json()["stages"]] == [3, 3, 3, 2]
    rows = client.get(
        f"{BASE}/conversion", params={**PERIOD, "by": "source_name"}, headers={"X-Api-Key": key}
    ).json()
    assert [(r["source"], r["leads"]) for r in rows] == [("alpha", 3)]
