"""One overdue rule on every face: a lead is overdue once its expected completion day is over.

A lead due at 09:00 and read at 15:00 the same day is due today, not overdue, everywhere;
the same lead read the next day is overdue everywhere.
"""

import base64
import re
from datetime import datetime
from xml.etree.ElementTree import fromstring

import pytest
from sqlalchemy import select

from leadbook.domain import clock
from leadbook.models import Lead
from tests.conftest import Api, log_in
from tests.crmcom.conftest import ok

XML_AUTH = {"Authorization": "Basic " + base64.b64encode(b"mpadministrator:leadbook-demo").decode()}
DUE = datetime(2031, 3, 4, 9, 0)
SAME_DAY = datetime(2031, 3, 4, 15, 0)
NEXT_DAY = datetime(2031, 3, 5, 15, 0)


@pytest.fixture
def at(client, demo):
    """Returns a function freezing the clock at a time and logging in to the API and the web
    pages then (tokens live by the clock)."""

    def freeze(moment: datetime) -> Api:
        clock.freeze(moment)
        token = log_in(client)
        form = client.get("/web/login").text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
        web = client.post(
            "/web/login",
            data={"username": "mpadministrator", "password": "leadbook-demo", "csrf": csrf},
            follow_redirects=False,
        )
        assert web.status_code == 303
        return Api(client, token)

    yield freeze
    clock.freeze(None)


@pytest.fixture
def due_lead(client, db, at):
    """A Pending lead due on 2031-03-04 at 09:00, with its number."""
    api = at(DUE)
    created = ok(
        api.post(
            "create",
            contact_information={"action": "NEW", "type": "PERSON", "last_name": "Dueday"},
            importance="IMPORTANCE2",
            priority=2,
            type_identifier={"name": "New Customer"},
            source={"type": "WEBSITE", "name": "leadbook.example"},
            expected_completion_date="2031-03-04T09:00:00",
            fields_set="number",
        )
    )
    lead = db.scalar(select(Lead).where(Lead.number == int(created["number"])))
    lead.topic = "Due at nine"
    db.commit()
    return lead


def _faces(client, api: Api, lead: Lead) -> dict:
    """Returns what each face says about the lead's lateness."""
    number = str(lead.number)
    shown = ok(api.get("show", lead_identifier=f"number={number}"))
    overdue = [x["number"] for x in ok(api.get("get_overdue", type_identifier="name=New Customer"))]
    xml = fromstring(client.get(f"/leads/{number}.xml", headers=XML_AUTH).content)
    board = client.get(f"/web/board?type={lead.type_id}&owner=all").text
    card = re.search(r"<article(?:(?!</article>).)*Due at nine.*?</article>", board, re.S).group(0)
    listed = client.get("/web/leads?q=Due at nine&owner=all").text
    row = re.search(r"<tr[ >](?:(?!</tr>).)*Due at nine.*?</tr>", listed, re.S).group(0)
    page = client.get(f"/web/leads/{number}").text
    return {
        "time_to_completion": shown["time_to_completion"],
        "time_overdue": shown["time_overdue"],
        "get_overdue": number in overdue,
        "xml value_date": xml.find("value_date").text,
        "board": "Overdue" in card,
        "list": "Overdue" in row,
        "lead page": "Overdue" in page.split("</h1>")[0],
    }


def test_a_lead_due_this_morning_is_not_overdue_this_afternoon_on_any_face(client, due_lead, at):
    api = at(SAME_DAY)
    assert _faces(client, api, due_lead) == {
        "time_to_completion": {"time_period_value": 0, "time_period_uot": "DAYS"},
        "time_overdue": {"time_period_value": None, "time_period_uot": None},
        "get_overdue": False,
        "xml value_date": "04-03-2031",
        "board": False,
        "list": False,
        "lead page": False,
    }


def test_the_same_lead_is_overdue_on_every_face_the_next_day(client, due_lead, at):
    api = at(NEXT_DAY)
    assert _faces(client, api, due_lead) == {
        "time_to_completion": {"time_period_value": None, "time_period_uot": None},
        "time_overdue": {"time_period_value": 1, "time_period_uot": "DAYS"},
        "get_overdue": True,
        "xml value_date": "04-03-2031",
        "board": True,
        "list": True,
        "lead page": True,
    }
