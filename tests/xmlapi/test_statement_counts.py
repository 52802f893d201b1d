"""How many SQL statements an XML read sends: the caller's check (tokens.resolve), then
one statement reading the lead or the page (the read model), a page's count beside it."""

from __future__ import annotations

from tests.statements import count_statements
from tests.xmlapi.conftest import AUTH, fields_of


def _caller_statements(client) -> int:
    """Statements the caller's check costs: those of a request refused after it."""
    with count_statements() as sent:
        answer = client.get("/leads/abc.xml", headers=AUTH)
    assert answer.status_code == 404, answer.text
    return len(sent)


def test_show_is_the_caller_and_one_statement(client, demo):
    caller = _caller_statements(client)
    with count_statements() as sent:
        lead = fields_of(client.get("/leads/116.xml", headers=AUTH))
    assert lead["id"] == "116" and lead["client_name"]
    assert len(sent) == caller + 1, sent
    assert "external_ids" in sent[-1] and "lead_statuses" in sent[-1], sent


def test_a_page_is_the_caller_one_statement_and_its_count(client, demo):
    caller = _caller_statements(client)
    for params in ({}, {"page": "2", "per_page": "5"}):
        with count_statements() as sent:
            answer = client.get("/leads.xml", params=params, headers=AUTH)
        assert answer.status_code == 200 and answer.content.count(b"<lead>") >= 5
        assert len(sent) == caller + 2, sent
