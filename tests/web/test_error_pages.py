"""Refusal pages of the web face: the layout with its navigation, the web's own 400 for an
unreadable address parameter, a page number past the end, the favicon."""

import re


def test_a_missing_lead_page_keeps_the_navigation(signed_in):
    answer = signed_in.get("/web/leads/999")
    assert answer.status_code == 404 and "There is no lead number 999" in answer.text
    assert "<nav>" in answer.text and 'href="/web/leads">Leads</a>' in answer.text
    assert "Maria Sales" in answer.text


def test_an_unknown_address_is_a_404_page_with_the_navigation(signed_in):
    answer = signed_in.get("/web/nothing/here")
    assert answer.status_code == 404 and "There is no page /web/nothing/here" in answer.text
    assert 'href="/web/board">Board</a>' in answer.text


def test_an_unknown_address_is_a_404_page_to_an_anonymous_browser_too(client, reference):
    answer = client.get("/web/nothing", follow_redirects=False)
    assert answer.status_code == 404 and "There is no page /web/nothing" in answer.text
    assert "<nav>" not in answer.text


def test_an_unreadable_parameter_is_a_400_page_naming_it(signed_in):
    answer = signed_in.get("/web/leads", params={"desc": "maybe"})
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    assert "The address parameter “desc” is not valid" in answer.text and "“maybe”" in answer.text
    assert "<nav>" in answer.text and "{" not in answer.text.split("<main>")[1]


def test_a_page_past_the_end_shows_the_last_page(signed_in, make_lead):
    for n in range(3):
        make_lead(topic=f"Deal {n}")
    answer = signed_in.get("/web/leads", params={"size": 2, "page": 9999})
    assert answer.status_code == 200 and "Page 2 of 2" in answer.text
    assert "There is no page 9999" in answer.text
    assert re.findall(r"Deal (\d+)", answer.text) == ["2"]


def test_the_favicon_is_served_from_the_package_and_linked(signed_in):
    page = signed_in.get("/web/board").text
    assert '<link rel="icon" href="/web/static/favicon.svg"' in page
    icon = signed_in.get("/web/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
