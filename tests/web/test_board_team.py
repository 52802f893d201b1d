"""What a sales team expects of the board and the list (issue 19): money per column (count ·
Σ amount · weighted, in the currency), a "+" per open column, closed columns folded, the
owner on cards and rows, my leads by default, the shared filters; and the board's cost in
statements, which must not grow with its cards."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from leadbook.auth.passwords import hash_password
from leadbook.models import Role, Unit, User
from tests.statements import count_statements


def _column(html: str, name: str) -> str:
    """The HTML of the board column of status ``name``."""
    return html.split(f'data-status="{name}"')[1].split("</section>")[0]


def _numbers(html: str) -> set[str]:
    """The numbers of the leads a page links to."""
    return set(re.findall(r'href="/web/leads/(\d+)"', html))


@pytest.fixture
def other(db):
    """Another user, a salesman of his own unit (so he sees only his unit's leads)."""
    unit = Unit(name="North")
    user = User(username="otto", person_name="Otto North", role=Role.SALES, unit=unit)
    db.add_all([unit, user])
    db.commit()
    return user


def test_column_totals_count_sum_and_weigh_every_lead_of_the_column(
    signed_in, make_lead, monkeypatch
):
    from leadbook.web import board

    monkeypatch.setattr(board, "CARDS_PER_COLUMN", 1)  # the totals are not the cards'
    make_lead("PENDING", target_amount=1000, probability_to_win=50)
    make_lead("PENDING", target_amount=250.5, probability_to_win=10)
    make_lead("PENDING")  # no amount, no probability: counts, adds nothing
    make_lead("IN_PROGRESS", target_amount=400, probability_to_win=25)
    make_lead("WON", target_amount=5000, probability_to_win=100)
    html = signed_in.get("/web/board").text
    reach = _column(html, "Reach")
    assert '<span class="count">3 leads</span>' in reach
    assert '<span class="sum">1,250.50 EUR</span>' in reach
    assert "weighted 525.05 EUR" in reach  # 1000 × 50 % + 250.5 × 10 %
    assert "weighted 100.00 EUR" in _column(html, "Learn")
    won = _column(html, "Won")
    assert '<span class="count">1 lead</span>' in won and "5,000.00 EUR" in won
    assert "weighted" not in won  # a closed lead is no pipeline
    assert '<span class="count">0 leads</span>' in _column(html, "Lost")


def test_the_currency_is_a_setting(signed_in, make_lead, settings, monkeypatch, client):
    make_lead("PENDING", target_amount=10)
    usd = settings.model_copy(update={"currency": "USD"})
    monkeypatch.setattr(client.app.state, "settings", usd)
    assert "10.00 USD" in _column(signed_in.get("/web/board").text, "Reach")


def test_a_salesmans_totals_count_only_the_leads_he_sees(client, login, make_lead, other, db):
    make_lead("PENDING", target_amount=100, probability_to_win=50, assigned_user=other,
              assigned_unit=other.unit)  # fmt: skip
    make_lead("PENDING", target_amount=900, probability_to_win=50)  # Maria's: not his unit's
    other.password_hash = hash_password("otto's secret")
    db.commit()
    assert login("otto", "otto's secret").status_code == 303
    reach = _column(client.get("/web/board", params={"owner": "all"}).text, "Reach")
    assert '<span class="count">1 lead</span>' in reach and "100.00 EUR" in reach
    assert "weighted 50.00 EUR" in reach


def test_each_open_column_has_a_plus_that_preselects_its_type_and_status(
    signed_in, reference
):
    html = signed_in.get("/web/board").text
    kind = reference["type"].id
    for state, name in (("PENDING", "Reach"), ("IN_PROGRESS", "Learn")):
        status = reference["statuses"][state].id
        link = f'href="/web/leads/new?type={kind}&amp;status={status}"'
        assert link in _column(html, name)
        form = signed_in.get(f"/web/leads/new?type={kind}&status={status}").text
        assert f'<option value="{status}" selected>' in form
        assert f'<option value="{kind}" selected>' in form
    assert 'class="add"' not in _column(html, "Won")  # a lead is created open


def test_closed_columns_are_folded_until_asked_open(signed_in, make_lead, reference):
    make_lead("WON", topic="Signed")
    make_lead("LOST", topic="Gone")
    html = signed_in.get("/web/board").text
    assert "Signed" not in html and "Gone" not in html
    assert 'class="column state-won folded"' in html
    won = reference["statuses"]["WON"].id
    html = signed_in.get("/web/board", params={"open": won}).text
    assert "Signed" in _column(html, "Won") and "Gone" not in html
    assert 'class="fold"' in _column(html, "Won")


def test_the_owner_is_on_cards_and_rows(signed_in, make_lead, other):
    make_lead("PENDING", topic="Hers")
    make_lead("PENDING", topic="Units", assigned_user=None, assigned_unit=other.unit)
    board = signed_in.get("/web/board", params={"owner": "all"}).text
    assert '<p class="owner">Maria Sales</p>' in board
    assert '<p class="owner">North</p>' in board  # no user: the unit
    rows = signed_in.get("/web/leads", params={"owner": "all"}).text
    assert "<th>Owner</th>" in rows and '<td class="owner">Maria Sales</td>' in rows


def test_my_leads_by_default_and_the_owner_toggle(signed_in, make_lead, other):
    mine = make_lead("PENDING", topic="Mine")
    his = make_lead("PENDING", topic="His", assigned_user=other)
    for page in ("/web/board", "/web/leads"):
        assert _numbers(signed_in.get(page).text) >= {str(mine.number)}
        assert str(his.number) not in _numbers(signed_in.get(page).text)
        everyone = _numbers(signed_in.get(page, params={"owner": "all"}).text)
        assert {str(mine.number), str(his.number)} <= everyone
        only_his = _numbers(signed_in.get(page, params={"owner": other.id}).text)
        assert str(his.number) in only_his and str(mine.number) not in only_his
    assert '<option value="me" selected>My leads</option>' in signed_in.get("/web/board").text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"source_type": "WEBSITE"}, {"Web"}),
        ({"source_name": "fair"}, {"Fair"}),
        ({"created_from": "2026-03-01", "created_to": "2026-03-31"}, {"Fair"}),  # to: the day's end
        ({"expected_from": "2026-06-01", "expected_to": "2026-06-30"}, {"Web"}),
        ({"amount_min": "100", "amount_max": "500"}, {"Fair"}),
        ({"amount_min": "", "created_from": "", "source_type": ""}, {"Web", "Fair", "Other"}),
    ],
)
def test_each_filter_narrows_the_list_and_the_board(signed_in, make_lead, params, expected):
    make_lead("PENDING", topic="Web", source_type="WEBSITE", source_name="site",
              created_date=datetime(2026, 1, 5), expected_completion_date=datetime(2026, 6, 30),
              target_amount=1000)  # fmt: skip
    make_lead("PENDING", topic="Fair", source_name="fair", created_date=datetime(2026, 3, 31, 18),
              expected_completion_date=datetime(2026, 7, 1), target_amount=100)  # fmt: skip
    make_lead("PENDING", topic="Other", created_date=datetime(2026, 4, 1), target_amount=501)
    for page in ("/web/leads", "/web/board"):
        html = signed_in.get(page, params=params).text
        shown = set(re.findall(r"(?:<td>|\d )(Web|Fair|Other)<", html))
        assert shown == expected, page


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("created_from", "yesterday"),
        ("expected_to", "2026-02-30"),
        ("amount_max", "lots"),
        ("amount_min", "nan"),
        ("owner", "nobody"),
    ],
)
def test_a_bad_filter_value_is_the_400_page(signed_in, make_lead, name, value):
    for page in ("/web/leads", "/web/board"):
        answer = signed_in.get(page, params={name: value})
        assert answer.status_code == 400, answer.text
        assert f"The address parameter “{name}” is not valid" in answer.text
        assert f"“{value}”" in answer.text and "<nav>" in answer.text


def test_the_boards_statements_do_not_grow_with_its_cards(signed_in, make_lead):
    def board_statements() -> int:
        with count_statements() as sent:
            assert signed_in.get("/web/board").status_code == 200
        return len(sent)

    make_lead("PENDING")
    make_lead("IN_PROGRESS")
    few = board_statements()
    for n in range(12):
        make_lead(("PENDING", "IN_PROGRESS")[n % 2], topic=f"Deal {n}", target_amount=n)
    assert board_statements() == few <= 16


def test_a_move_from_a_filtered_board_shows_it_again_filtered(signed_in, make_lead, csrf_of):
    lead = make_lead("PENDING", topic="Moving", target_amount=5)
    make_lead("PENDING", topic="Cheap", target_amount=1)
    html = signed_in.get("/web/board", params={"owner": "all", "amount_min": "0"}).text
    action = re.search(r'action="(/web/leads/1/move\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "owner=all" in action and "amount_min=0" in action
    data = {"csrf": csrf_of(html), "action": "start_progress", "view": "board"}
    answer = signed_in.post(action, data=data, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and f'href="/web/leads/{lead.number}" autofocus' in answer.text
    assert answer.text.lstrip().startswith('<div id="board"') and "Cheap" in answer.text
    plain = signed_in.post(action, data={**data, "action": "cancel"}, follow_redirects=False)
    assert plain.headers["location"].endswith("owner=all&amount_min=0.0#lead-1")


def test_a_filtered_column_over_the_cap_says_more_and_is_not_summed(
    signed_in, make_lead, monkeypatch
):
    from leadbook.domain import queries

    monkeypatch.setattr(queries, "COUNTED", 2)  # a filter the summary cannot answer reads leads
    for n in range(3):
        make_lead("PENDING", topic=f"Deal {n}", source_name="fair", target_amount=10)
    make_lead("IN_PROGRESS", source_name="fair", target_amount=7, probability_to_win=50)
    make_lead("IN_PROGRESS", source_name="site", target_amount=1000)
    html = signed_in.get("/web/board", params={"source_name": "fair"}).text
    reach = _column(html, "Reach")
    assert '<span class="count">2+ leads</span>' in reach
    assert 'class="sum"' not in reach and "not summed" in reach
    assert all(f"Deal {n}" in reach for n in range(3))  # the cards are all there
    learn = _column(html, "Learn")  # under the cap: exact, summed, weighted
    assert '<span class="count">1 lead</span>' in learn and "7.00 EUR" in learn
    assert "weighted 3.50 EUR" in learn
    everyone = _column(signed_in.get("/web/board").text, "Reach")  # the summary: exact
    assert '<span class="count">3 leads</span>' in everyone and "30.00 EUR" in everyone


def test_a_filtered_list_counts_up_to_the_cap_or_the_page(signed_in, make_lead, monkeypatch):
    from leadbook.domain import queries

    monkeypatch.setattr(queries, "COUNTED", 3)
    for n in range(6):
        make_lead("PENDING", topic=f"Deal {n}", source_name="fair")
    make_lead("PENDING", source_name="site")
    first = signed_in.get("/web/leads", params={"source_name": "fair", "size": 2}).text
    assert '<p class="count">3+ leads</p>' in first and "Page 1 of 2+" in first
    assert 'rel="next"' in first
    third = signed_in.get("/web/leads", params={"source_name": "fair", "size": 2, "page": 3})
    assert '<p class="count">6 leads</p>' in third.text and "Page 3 of 3" in third.text
    assert 'rel="next"' not in third.text and "Deal 5" in third.text
    past = signed_in.get("/web/leads", params={"source_name": "fair", "size": 2, "page": 9})
    assert "There is no page 9; this is the last page, 3." in past.text
    assert '<p class="count">7 leads</p>' in signed_in.get("/web/leads").text  # the summary
