"""The board, the lead list's filters, sorting and paging, the detail page, the dashboard."""

import re

from leadbook.models import (
    Competitor,
    Contact,
    Group,
    LeadCompetitor,
    LeadEvent,
    LeadProduct,
    LeadStatus,
    LeadType,
    LeadUser,
    ProductBrand,
)
from leadbook.web import board


def test_board_has_a_column_per_status_and_cards_with_badges(signed_in, make_lead, past):
    make_lead(
        "PENDING",
        topic="Fibre for Acme",
        target_amount=1200,
        priority=1,
        contact_email="buyer@acme.test",
        expected_completion_date=past,
    )
    make_lead("WON", topic="Old deal", expected_completion_date=past)
    html = signed_in.get("/web/board").text
    columns = re.findall(r'data-status="([^"]+)"', html)
    assert columns == ["Reach", "Learn", "Won", "Lost", "Cancelled"]
    reach = html.split('data-status="Reach"')[1].split('data-status="Learn"')[0]
    assert "Fibre for Acme" in reach and "1,200.00" in reach and "P1" in reach
    assert "Jane Doe" in reach and "Overdue" in reach
    won = html.split('data-status="Won"')[1].split('data-status="Lost"')[0]
    assert "Old deal" not in won and '<span class="count">1 lead</span>' in won  # folded
    unfold = re.search(r'class="unfold" href="([^"]+)"', won).group(1).replace("&amp;", "&")
    html = signed_in.get(unfold).text
    won = html.split('data-status="Won"')[1].split('data-status="Lost"')[0]
    assert "Old deal" in won and "Overdue" not in won


def test_list_filters_by_state_and_text(signed_in, make_lead):
    make_lead("PENDING", topic="Alpha")
    make_lead("IN_PROGRESS", topic="Beta")
    make_lead("IN_PROGRESS", topic="Gamma", description="alpha customer")
    html = signed_in.get("/web/leads", params={"state": "IN_PROGRESS", "q": "ALPHA"}).text
    assert "Gamma" in html and "Beta" not in html and ">Alpha<" not in html
    assert "1 lead<" in html


def test_list_sorts_and_pages(signed_in, make_lead):
    for amount in (300, 100, 200):
        make_lead(topic=f"Deal {amount}", target_amount=amount)
    first = signed_in.get("/web/leads", params={"sort": "amount", "desc": "true", "size": 2})
    assert re.findall(r"Deal (\d+)", first.text) == ["300", "200"]
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text
    second = signed_in.get(
        "/web/leads", params={"sort": "amount", "desc": "true", "size": 2, "page": 2}
    )
    assert re.findall(r"Deal (\d+)", second.text) == ["100"]
    assert 'rel="next"' not in second.text


def test_list_refuses_a_page_below_one_with_a_page_not_json(signed_in):
    answer = signed_in.get("/web/leads", params={"page": 0})
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    assert "The address parameter “page” is not valid" in answer.text
    assert "greater than or equal to 1 (given “0”)" in answer.text
    assert "INVALID_VALUE" in answer.text


def test_detail_shows_fields_and_history(signed_in, make_lead, db):
    lead = make_lead("LOST", topic="Lost deal", probability_to_win=40, contact_phone="+35799")
    db.add(
        LeadEvent(
            lead_id=lead.id,
            lead_number=lead.number,
            username="maria",
            action="LOSE",
            via="web",
            changes={"life_cycle_state": "LOST"},
        )
    )
    db.commit()
    html = signed_in.get(f"/web/leads/{lead.number}").text
    assert "Lost deal" in html and "Lost (LOST)" in html and "+35799" in html and "40" in html
    assert "Lose" in html and "Life cycle state: Lost" in html


def test_detail_of_an_unknown_lead_is_a_404_page(signed_in):
    response = signed_in.get("/web/leads/999")
    assert response.status_code == 404 and "There is no lead number 999" in response.text


def test_dashboard_counts_win_rate_and_weighted_pipeline(signed_in, make_lead):
    make_lead("PENDING", target_amount=1000, probability_to_win=50)
    make_lead("IN_PROGRESS", target_amount=200, probability_to_win=25)
    make_lead("WON", target_amount=5000, probability_to_win=100)
    for _ in range(3):
        make_lead("LOST")
    html = signed_in.get("/web/dashboard").text
    assert re.search(r'id="win-rate">25%<', html)
    assert re.search(r'id="weighted">550.00<', html)
    counts = dict(re.findall(r'data-state="(\w+)" data-count="(\d+)"', html))
    assert counts == {"PENDING": "1", "IN_PROGRESS": "1", "WON": "1", "LOST": "3", "CANCELLED": "0"}


def test_detail_shows_every_field_the_sets_and_named_history(signed_in, make_lead, reference, db):
    statuses = reference["statuses"]
    lead = make_lead(
        "IN_PROGRESS",
        topic="Full lead",
        contact=Contact(type="COMPANY", number="CI000042", company_name="Globex"),
        owned_by_group=Group(name="South"),
        project_ref="PRJ-7",
        learning_on_customer="Likes demos",
        udf_string_3="blue",
        estimated_time_value=2,
        estimated_time_uot="WEEKS",
    )
    lead.competitors.append(LeadCompetitor(competitor=Competitor(name="Initech")))
    lead.users.append(LeadUser(user=reference["user"]))
    lead.products.append(LeadProduct(kind="PRODUCT", product_brand=ProductBrand(name="Zeta")))
    db.add(
        LeadEvent(
            lead_id=lead.id,
            lead_number=lead.number,
            username="maria",
            action="start_progress",
            via="web",
            changes={"status_id": [statuses["PENDING"].id, statuses["IN_PROGRESS"].id]},
        )
    )
    db.commit()
    html = signed_in.get(f"/web/leads/{lead.number}").text
    for text in ("CI000042 Globex", "South", "PRJ-7", "Likes demos", "2 WEEKS", "blue"):
        assert text in html
    assert "udf_float_4" in html and "Subscription package" in html
    assert "Initech" in html.split('id="competitors"')[1].split("</ul>")[0]
    assert "Maria Sales" in html.split('id="team"')[1].split("</ul>")[0]
    assert "PRODUCT: Zeta" in html.split('id="products"')[1].split("</ul>")[0]
    assert "Status: Reach → Learn" in html and "Started progress" in html
    assert ">Edit<" in html and "move-win" in html and "move-start_progress" not in html


def test_list_of_an_unknown_type_is_empty(signed_in, make_lead):
    make_lead(topic="Anything")
    html = signed_in.get("/web/leads", params={"type": "nope"}).text
    assert "0 leads<" in html and "Anything" not in html


def test_list_text_matches_the_contact_phone_as_leads_list_does(signed_in, make_lead):
    make_lead(topic="By phone", contact_phone="+357 99 123")
    make_lead(topic="Other")
    html = signed_in.get("/web/leads", params={"q": "99 123"}).text
    assert "By phone" in html and "Other" not in html


def test_dashboard_of_one_lead_type(signed_in, make_lead, db):
    make_lead("WON", target_amount=10)
    other = LeadType(name="Service", statuses=[LeadStatus(name="Open", life_cycle_state="PENDING")])
    db.add(other)
    db.commit()
    html = signed_in.get("/web/dashboard", params={"type": other.id}).text
    assert re.search(r'id="win-rate">—<', html)
    assert 'data-state="WON" data-count="0"' in html
    assert 'data-state="WON" data-count="1"' in signed_in.get("/web/dashboard").text


def test_a_full_column_shows_its_first_cards_and_links_to_the_rest(
    signed_in, make_lead, reference, db, monkeypatch
):
    for priority in (3, 1, 2):
        make_lead("PENDING", topic=f"Card P{priority}", priority=priority)
    monkeypatch.setattr(board, "CARDS_PER_COLUMN", 2)
    html = signed_in.get("/web/board").text
    reach = html.split('data-status="Reach"')[1].split('data-status="Learn"')[0]
    assert re.findall(r"Card P(\d)", reach) == ["1", "2"]
    assert '<span class="count">3 leads</span>' in reach
    more = re.search(r'href="(/web/leads\?[^"]+)">1 more', reach).group(1).replace("&amp;", "&")
    assert "Card P3" in signed_in.get(more).text


def test_list_filters_by_status(signed_in, make_lead):
    make_lead("PENDING", topic="Waiting")
    lead = make_lead("IN_PROGRESS", topic="Working")
    html = signed_in.get("/web/leads", params={"status": lead.status_id}).text
    assert "Working" in html and "Waiting" not in html
