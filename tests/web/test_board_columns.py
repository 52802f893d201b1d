"""A closed column opened or folded alone (issue 19): GET /web/board/column answers that
column only, through the board's filters and as its user sees it, and replaces the board's
address so it keeps which columns are open; without htmx, the whole board."""

from __future__ import annotations

import re

import pytest

from leadbook.auth.passwords import hash_password
from leadbook.models import Role, Unit, User

HTMX = {"HX-Request": "true"}


def _numbers(html: str) -> set[str]:
    """The numbers of the leads a fragment links to."""
    return set(re.findall(r'href="/web/leads/(\d+)"', html))


@pytest.fixture
def ids(reference):
    """The status ids of the Sales type, by state."""
    return {state: status.id for state, status in reference["statuses"].items()}


def _column(client, ids, state, **params):
    """The answer of the column of ``state`` asked through htmx, with ``params``."""
    params = {**params, "column": ids[state]}
    return client.get("/web/board/column", params=params, headers=HTMX)


def test_a_column_opened_alone_holds_only_its_cards(signed_in, make_lead, ids):
    won = make_lead("WON", topic="Signed")
    make_lead("LOST", topic="Gone")
    make_lead("PENDING", topic="Fresh")
    answer = _column(signed_in, ids, "WON")
    assert answer.status_code == 200
    html = answer.text
    assert html.count("<section") == 1 and 'data-status="Won"' in html
    assert _numbers(html) == {str(won.number)}
    assert 'id="board"' not in html and "<html" not in html  # the column, not the page
    assert 'aria-expanded="true"' in html and 'class="fold"' in html
    assert re.search(r"<h2 [^>]*autofocus", html)  # the heading takes the focus
    replaced = answer.headers["HX-Replace-Url"]
    assert replaced.startswith("/web/board?") and f"open={ids['WON']}" in replaced


def test_opening_keeps_the_columns_already_open_in_the_address(signed_in, make_lead, ids):
    make_lead("WON")
    answer = _column(signed_in, ids, "WON", open=[ids["LOST"]])
    replaced = answer.headers["HX-Replace-Url"]
    assert f"open={ids['LOST']}" in replaced and f"open={ids['WON']}" in replaced


def test_fold_true_folds_the_column_and_drops_it_from_the_address(signed_in, make_lead, ids):
    make_lead("WON", topic="Signed")
    answer = _column(signed_in, ids, "WON", fold="true", open=[ids["WON"], ids["LOST"]])
    assert answer.status_code == 200
    html = answer.text
    assert "folded" in html and _numbers(html) == set()
    assert '<span class="count">1 lead</span>' in html  # its totals still shown
    assert 'class="unfold"' in html and 'aria-expanded="false"' in html
    replaced = answer.headers["HX-Replace-Url"]
    assert f"open={ids['WON']}" not in replaced and f"open={ids['LOST']}" in replaced


def test_the_column_goes_through_the_boards_filters(signed_in, make_lead, ids):
    make_lead("WON", topic="Alpha deal")
    make_lead("WON", topic="Beta deal")
    answer = _column(signed_in, ids, "WON", q="alpha")
    assert "Alpha deal" in answer.text and "Beta deal" not in answer.text
    assert '<span class="count">1 lead</span>' in answer.text
    assert "q=alpha" in answer.headers["HX-Replace-Url"]


def test_a_salesman_sees_only_his_own_cards_in_the_column(client, login, make_lead, ids, db):
    unit = Unit(name="North")
    otto = User(username="otto", role=Role.SALES, unit=unit, password_hash=hash_password("o"))
    db.add_all([unit, otto])
    db.commit()
    make_lead("WON", topic="Otto win", assigned_user=otto, assigned_unit=unit)
    make_lead("WON", topic="Maria win")  # not his unit's
    assert login("otto", "o").status_code == 303
    for owner in ("me", "all"):
        html = _column(client, ids, "WON", owner=owner).text
        assert "Otto win" in html and "Maria win" not in html, owner


@pytest.mark.parametrize("column", ["nope", ""])
def test_an_unknown_column_is_the_web_faces_400(signed_in, ids, column):
    answer = signed_in.get("/web/board/column", params={"column": column}, headers=HTMX)
    assert answer.status_code == 400
    assert "“column”" in answer.text and 'role="alert"' in answer.text
    page = signed_in.get("/web/board/column", params={"column": column})
    assert page.status_code == 400 and "<html" in page.text


def test_a_column_of_another_type_is_refused(signed_in, ids, db, reference):
    from leadbook.models import LeadStatus, LeadType

    opened = LeadStatus(name="Open", life_cycle_state="PENDING")
    db.add(LeadType(name="Support", statuses=[opened], create_status=opened))
    db.commit()
    params = {"type": reference["type"].id, "column": opened.id}
    assert signed_in.get("/web/board/column", params=params, headers=HTMX).status_code == 400


def test_without_htmx_the_column_route_sends_to_the_whole_board(signed_in, make_lead, ids):
    make_lead("WON", topic="Signed")
    answer = signed_in.get(
        "/web/board/column", params={"column": ids["WON"]}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/web/board?")
    assert "Signed" in signed_in.get(answer.headers["location"]).text


def test_the_no_js_links_open_and_fold_the_whole_board(signed_in, make_lead, ids):
    make_lead("WON", topic="Signed")
    board = signed_in.get("/web/board").text
    won = board.split('data-status="Won"')[1].split("</section>")[0]
    unfold = re.search(r'class="unfold" href="([^"]+)"', won).group(1).replace("&amp;", "&")
    assert re.search(r'class="unfold" href="[^"]+" hx-get="/web/board/column\?', won)
    opened = signed_in.get(unfold).text
    assert opened.count("<section") == 5 and "Signed" in opened
    won = opened.split('data-status="Won"')[1].split("</section>")[0]
    fold = re.search(r'class="fold" href="([^"]+)"', won).group(1).replace("&amp;", "&")
    assert "Signed" not in signed_in.get(fold).text
