"""The dashboard's sums never overflow: amounts are summed with an exact type."""


def test_huge_stored_amounts_do_not_break_the_dashboard(signed_in, make_lead):
    make_lead("PENDING", target_amount=1e308, probability_to_win=100.0)
    make_lead("PENDING", target_amount=1e308, probability_to_win=100.0)
    answer = signed_in.get("/web/dashboard")
    assert answer.status_code == 200
