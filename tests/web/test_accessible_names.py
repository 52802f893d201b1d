"""Names a screen reader reads: a main heading on the board and the list, a lead's number
in each move button's name, what a remove button removes."""

import re

from leadbook.models import Competitor, LeadCompetitor


def test_the_board_and_the_list_have_a_main_heading(signed_in, reference):
    assert "<h1>Board: Sales</h1>" in signed_in.get("/web/board").text
    assert "<h1>Leads</h1>" in signed_in.get("/web/leads").text


def test_each_move_button_names_its_lead(signed_in, make_lead):
    make_lead("PENDING")
    make_lead("IN_PROGRESS")
    html = signed_in.get("/web/board").text
    names = [
        re.sub(r"<[^>]+>", "", name)
        for name in re.findall(r'<button type="submit" name="action"[^>]*>(.*?)</button>', html)
    ]
    # one move form per card, its buttons each named by move and lead: no two alike
    assert sorted(names) == [
        "Cancel lead 1", "Cancel lead 2", "Lose lead 1", "Lose lead 2", "Start lead 1", "Win lead 2"
    ]  # fmt: skip
    assert html.count('class="moves"') == 2
    assert 'aria-label="Lost reason of lead 2"' in html


def test_a_remove_button_says_what_it_removes(signed_in, make_lead, db):
    lead = make_lead("PENDING")
    db.add(LeadCompetitor(lead=lead, competitor=Competitor(name="Rival Co")))
    db.commit()
    html = signed_in.get(f"/web/leads/{lead.number}").text
    assert re.search(r'<button name="remove"[^>]*aria-label="Remove competitor Rival Co">×<', html)
