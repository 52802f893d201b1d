"""The status selects offer the chosen lead type's statuses only (server-rendered; htmx
refreshes the form's when its type changes)."""

import re

import pytest

from leadbook.models import LeadStatus, LeadType


@pytest.fixture
def support(db, reference):
    """A second lead type, Support (Open, Solved), whose statuses the Sales forms must not offer."""
    opened = LeadStatus(name="Open", life_cycle_state="PENDING")
    solved = LeadStatus(name="Solved", life_cycle_state="WON")
    kind = LeadType(name="Support", statuses=[opened, solved], create_status=opened)
    db.add(kind)
    db.commit()
    return kind


def _status_options(html: str) -> list[str]:
    select = re.search(r'<select name="status"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<(]*)", select)


def test_the_new_form_offers_the_first_types_statuses(signed_in, support):
    names = [n.strip() for n in _status_options(signed_in.get("/web/leads/new").text)]
    assert names == ["", "Reach", "Learn", "Won", "Lost", "Cancelled"]  # Sales, first by name


def test_the_edit_form_offers_the_leads_types_statuses(signed_in, support, make_lead):
    lead = make_lead("PENDING")
    html = signed_in.get(f"/web/leads/{lead.number}/edit").text
    names = [n.strip() for n in _status_options(html)]
    assert names == ["Reach", "Learn", "Won", "Lost", "Cancelled"]
    assert 'hx-get="/web/leads/statuses?blank=false"' in html


def test_a_refused_form_offers_the_posted_types_statuses(signed_in, support, csrf_of):
    csrf = csrf_of(signed_in.get("/web/leads/new").text)
    data = {"csrf": csrf, "type": support.id, "priority": "9", "last_name": "Curie"}
    answer = signed_in.post("/web/leads/new", data=data)
    assert answer.status_code == 422
    assert [n.strip() for n in _status_options(answer.text)] == ["", "Open", "Solved"]


def test_htmx_refreshes_the_statuses_of_the_chosen_type(signed_in, support):
    answer = signed_in.get("/web/leads/statuses", params={"type": support.id})
    assert answer.status_code == 200 and "<html" not in answer.text
    assert re.findall(r">([^<(]+) \(", answer.text) == ["Open", "Solved"]
    assert "(the type's default)" in answer.text
    edit = signed_in.get("/web/leads/statuses", params={"type": support.id, "blank": "false"})
    assert "default" not in edit.text and "Open" in edit.text


def test_the_list_filter_offers_the_chosen_types_statuses(signed_in, support, reference):
    html = signed_in.get("/web/leads", params={"type": support.id}).text
    select = re.search(r'<select name="status">(.*?)</select>', html, re.S).group(1)
    assert "Open" in select and "Reach" not in select
    every = signed_in.get("/web/leads").text
    assert '<optgroup label="Sales">' in every and '<optgroup label="Support">' in every
