"""How many SQL statements a CRM.COM read sends: the token's check, then one statement
that reads the whole answer; an identifier given as a filter is looked up first (its
refusals name it). A regression (a lazy load, a query per lead) fails here."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.auth import tokens
from tests.crmcom.conftest import ok, refused
from tests.statements import count_statements

TOKEN_AND_READ = 2


def _reads(sent) -> list[str]:
    return [s for s in sent if "json" in s.lower()]


def test_show_is_the_token_and_one_statement(api):
    with count_statements() as sent:
        lead = ok(api.get("show", lead_identifier="number=116"))
    assert lead["number"] == "116" and lead["contact_information"]["id"]
    assert len(sent) == TOKEN_AND_READ, sent
    assert len(_reads(sent)) == 1 and "access_tokens" in sent[0]


def test_a_missing_lead_costs_the_same(api):
    with count_statements() as sent:
        refused(api.get("show", lead_identifier="number=999999"), "NOT_FOUND", 404)
    assert len(sent) == TOKEN_AND_READ, sent


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("list", {"importance": "IMPORTANCE5"}),
        ("list", {"priority": "2", "number_of_results": "3", "offset": "1"}),
        ("get_pending", {}),
        ("get_in_progress", {"fields_set": "number,status"}),
        ("get_won_leads", {}),
        ("get_lost_leads", {}),
        ("get_cancelled", {}),
        ("get_overdue", {}),
        ("get_close_to_estimated_completion_time", {"period": "2", "uot": "MONTHS"}),
    ],
)
def test_a_page_is_the_token_and_one_statement(api, method, params):
    with count_statements() as sent:
        page = ok(api.get(method, **params))
    assert isinstance(page, list)
    assert len(sent) == TOKEN_AND_READ, sent
    assert len(_reads(sent)) == 1


def test_each_identifier_filter_adds_its_look_up(api):
    with count_statements() as sent:
        page = ok(api.get("list", type_identifier="name=Software Purchase", priority="2"))
    assert page and {lead["type"]["name"] for lead in page} == {"Software Purchase"}
    assert len(sent) == TOKEN_AND_READ + 1, sent


def test_a_user_with_a_clearance_costs_no_more(client, db, demo):
    level = db.scalars(select(m.PrivacyLevel)).first()
    unit = db.scalar(select(m.Unit).where(m.Unit.group_id.is_not(None)))
    user = m.User(username="cleared", role=m.Role.SALES, unit=unit, clearance=level)
    db.add(user)
    db.flush()
    token = tokens.issue(db, user, ttl_seconds=None)
    db.commit()
    with count_statements() as sent:
        ok(client.get("/crmapi/rest/v2/leads/get_pending", params={"token": token}))
        ok(
            client.get(
                "/crmapi/rest/v2/leads/show",
                params={"token": token, "lead_identifier": "number=40"},
            )
        )
    assert len(sent) == 2 * TOKEN_AND_READ, sent
