"""Creating and editing leads in forms, and moving them, through the domain's rules."""

import re
from datetime import datetime

from sqlalchemy import func, select

from leadbook.models import (
    Competitor,
    Contact,
    Group,
    Lead,
    LeadEvent,
    LeadStatus,
    LostReason,
    Product,
    ProductType,
    User,
)


def _csrf(signed_in, csrf_of, url="/web/leads/new"):
    return csrf_of(signed_in.get(url).text)


def _create(signed_in, csrf, reference, **extra):
    data = {
        "csrf": csrf,
        "type": reference["type"].id,
        "importance": "IMPORTANCE2",
        "priority": "2",
        "target_amount": "1500",
        "probability_to_win": "40",
        "topic": "Solar roof",
        "new_contact_type": "PERSON",
        "last_name": "Curie",
        "source_type": "WEBSITE",
        "source_name": "site",
        **extra,
    }
    return signed_in.post("/web/leads/new", data=data, follow_redirects=False)


def test_create_form_stores_a_lead_through_the_domain(signed_in, csrf_of, reference, db):
    answer = _create(signed_in, _csrf(signed_in, csrf_of), reference)
    assert answer.status_code == 303
    number = int(answer.headers["location"].rsplit("/", 1)[1])
    lead = db.scalar(select(Lead).where(Lead.number == number))
    assert lead.topic == "Solar roof" and lead.contact.last_name == "Curie"
    assert lead.status.name == "Reach" and lead.created_by_user.username == "maria"
    events = db.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id)).all()
    assert [(e.action, e.via) for e in events] == [("create", "web")]


def test_a_refused_form_shows_the_domains_message_and_stores_nothing(
    signed_in, csrf_of, reference, db
):
    answer = _create(signed_in, _csrf(signed_in, csrf_of), reference, priority="9")
    assert answer.status_code == 422
    # in the page's words, at the input it is about
    assert "Priority must be a whole number from 1 to 6" in answer.text
    assert re.search(r'name="priority"[^>]*aria-invalid="true"', answer.text)
    assert len(re.findall("aria-invalid", answer.text)) == 1
    assert 'value="Solar roof"' in answer.text  # the form comes back as typed
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    assert db.scalar(select(func.count(Lead.id))) == 0


def test_edit_form_changes_the_lead(signed_in, csrf_of, reference, make_lead, db):
    lead = make_lead("PENDING", topic="Old topic")
    page = signed_in.get(f"/web/leads/{lead.number}/edit").text
    data = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    data.update(topic="New topic", priority="5", csrf=csrf_of(page))
    answer = signed_in.post(f"/web/leads/{lead.number}/edit", data=data, follow_redirects=False)
    assert answer.status_code == 303
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    changed = db.get(Lead, lead.id)
    assert changed.topic == "New topic" and changed.priority == 5


def test_moves_follow_the_life_cycle(signed_in, csrf_of, reference, make_lead, db):
    lead = make_lead("PENDING", topic="Move me")
    csrf = _csrf(signed_in, csrf_of)
    url = f"/web/leads/{lead.number}/move"
    refused = signed_in.post(url, data={"csrf": csrf, "action": "win"})
    assert refused.status_code == 409 and "only In Progress leads can be won" in refused.text
    assert signed_in.post(url, data={"csrf": csrf, "action": "start_progress"}).status_code == 200
    no_reason = signed_in.post(url, data={"csrf": csrf, "action": "lose"})
    assert no_reason.status_code == 400
    reason = db.scalar(select(LostReason).where(LostReason.name == "Price"))
    signed_in.post(url, data={"csrf": csrf, "action": "lose", "lost_reason": reason.id})
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    moved = db.get(Lead, lead.id)
    assert moved.life_cycle_state == "LOST" and moved.lost_reason.name == "Price"


def test_moves_need_the_csrf_token(signed_in, reference, make_lead):
    lead = make_lead("PENDING")
    answer = signed_in.post(f"/web/leads/{lead.number}/move", data={"action": "cancel"})
    assert answer.status_code == 403


def _fresh(db):
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()


def test_a_refused_form_stores_no_new_contact_either(signed_in, csrf_of, reference, db):
    answer = _create(signed_in, _csrf(signed_in, csrf_of), reference, priority="0")
    assert answer.status_code == 422
    assert "Priority must be a whole number from 1 to 6, not 0" in answer.text
    assert 'value="Curie"' in answer.text
    _fresh(db)
    assert db.scalar(select(func.count(Contact.id))) == 0
    assert db.scalar(select(func.count(LeadEvent.id))) == 0


def test_create_with_an_existing_contact_a_group_and_an_estimate(signed_in, csrf_of, reference, db):
    contact = Contact(type="COMPANY", number="CI000001", company_name="Acme")
    group = Group(name="North")
    db.add_all([contact, group])
    db.commit()
    answer = _create(
        signed_in,
        _csrf(signed_in, csrf_of),
        reference,
        contact=contact.id,
        last_name="",
        owned_by_group=group.id,
        start_date="2026-03-01",
        estimate_value="2",
        estimate_unit="WEEKS",
        contact_phone="+35722",
    )
    assert answer.status_code == 303
    _fresh(db)
    lead = db.scalar(select(Lead))
    assert lead.contact.company_name == "Acme" and lead.owned_by_group.name == "North"
    assert lead.expected_completion_date == datetime(2026, 3, 15)
    assert (lead.estimated_time_value, lead.estimated_time_uot) == (2, "WEEKS")
    assert lead.contact_phone == "+35722" and lead.source_name == "site"
    assert db.scalar(select(func.count(Contact.id))) == 1


def test_an_expected_date_and_an_estimate_that_disagree_are_refused(
    signed_in, csrf_of, reference, db
):
    answer = _create(
        signed_in,
        _csrf(signed_in, csrf_of),
        reference,
        start_date="2026-03-01",
        expected_completion_date="2026-04-01",
        estimate_value="3",
        estimate_unit="DAYS",
    )
    assert answer.status_code == 422
    assert "expected_completion_date and Estimate disagree" in answer.text
    _fresh(db)
    assert db.scalar(select(func.count(Lead.id))) == 0


def test_a_form_without_a_contact_is_refused(signed_in, csrf_of, reference):
    answer = _create(signed_in, _csrf(signed_in, csrf_of), reference, last_name="")
    assert answer.status_code == 422
    assert "Choose a contact, or give the name of a new person or company" in answer.text


def _edit_fields(signed_in, csrf_of, number) -> dict:
    page = signed_in.get(f"/web/leads/{number}/edit").text
    data = dict(re.findall(r'<input[^>]* name="(\w+)"[^>]* value="([^"]*)"', page))
    for name, select_html in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option (?:value="([^"]*)" )?selected>([^<]*)<', select_html)
        if chosen:
            data[name] = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
    data["description"] = ""
    data["csrf"] = csrf_of(page)
    return data


def test_edit_changes_only_the_fields_changed(signed_in, csrf_of, reference, make_lead, db):
    lead = make_lead(
        "PENDING",
        topic="Old topic",
        contact=Contact(type="PERSON", number="CI000009", last_name="Bohr"),
        expected_completion_date=datetime(2026, 4, 1),
        estimated_time_value=3,
        estimated_time_uot="MONTHS",
    )
    data = _edit_fields(signed_in, csrf_of, lead.number)
    assert data["importance"] == "IMPORTANCE3" and data["status"] == lead.status_id
    data.update(topic="New topic", target_amount="750")
    answer = signed_in.post(f"/web/leads/{lead.number}/edit", data=data, follow_redirects=False)
    assert answer.status_code == 303
    _fresh(db)
    changed = db.get(Lead, lead.id)
    assert (changed.topic, changed.target_amount, changed.version) == ("New topic", 750, 2)
    assert (changed.estimated_time_value, changed.estimated_time_uot) == (3, "MONTHS")
    event = db.scalar(select(LeadEvent).where(LeadEvent.action == "update"))
    assert set(event.changes) == {"topic", "target_amount"}


def test_a_refused_edit_shows_the_message_and_changes_nothing(
    signed_in, csrf_of, reference, make_lead, db
):
    lead = make_lead("PENDING", topic="Keep me", contact=Contact(type="PERSON", last_name="X"))
    data = _edit_fields(signed_in, csrf_of, lead.number)
    data.update(topic="Changed", probability_to_win="120")
    answer = signed_in.post(f"/web/leads/{lead.number}/edit", data=data)
    assert answer.status_code == 422
    assert "Probability to win must be from 0 to 100, not 120" in answer.text
    assert 'value="Changed"' in answer.text
    _fresh(db)
    assert db.get(Lead, lead.id).topic == "Keep me" and db.get(Lead, lead.id).version == 1


def test_a_stale_edit_is_refused(signed_in, csrf_of, reference, make_lead, db):
    lead = make_lead("PENDING", topic="Old", contact=Contact(type="PERSON", last_name="X"))
    data = _edit_fields(signed_in, csrf_of, lead.number)
    lead.topic = "Someone else's"
    db.commit()
    data.update(topic="Mine")
    answer = signed_in.post(f"/web/leads/{lead.number}/edit", data=data)
    assert answer.status_code == 422 and "read it again and retry" in answer.text


def test_a_closed_lead_cannot_be_edited(signed_in, csrf_of, reference, make_lead):
    lead = make_lead("WON", topic="Done", contact=Contact(type="PERSON", last_name="X"))
    assert ">Edit<" not in signed_in.get(f"/web/leads/{lead.number}").text
    form = signed_in.get(f"/web/leads/{lead.number}/edit")
    assert form.status_code == 409 and 'name="topic"' not in form.text
    assert "Lead 1 is WON; only Pending or In Progress leads can be updated" in form.text
    data = {"csrf": _csrf(signed_in, csrf_of), "version": str(lead.version), "topic": "Again"}
    answer = signed_in.post(f"/web/leads/{lead.number}/edit", data=data)
    assert answer.status_code == 409 and 'name="topic"' not in answer.text
    assert "only Pending or In Progress leads can be updated" in answer.text


HTMX = {"HX-Request": "true"}


def test_a_board_move_by_htmx_returns_the_board(signed_in, csrf_of, reference, make_lead, db):
    lead = make_lead("PENDING", topic="Move me")
    csrf = _csrf(signed_in, csrf_of, "/web/board")
    answer = signed_in.post(
        f"/web/leads/{lead.number}/move",
        data={"csrf": csrf, "action": "start_progress", "view": "board"},
        headers=HTMX,
    )
    assert answer.status_code == 200
    assert answer.text.startswith('<div id="board"') and "<html" not in answer.text
    learn = answer.text.split('data-status="Learn"')[1].split('data-status="Won"')[0]
    assert "Move me" in learn and "Lead #1 started: now Learn" in answer.text


def test_a_refused_board_move_shows_the_domains_message(
    signed_in, csrf_of, reference, make_lead, db
):
    lead = make_lead("PENDING", topic="Stay")
    csrf = _csrf(signed_in, csrf_of, "/web/board")
    answer = signed_in.post(
        f"/web/leads/{lead.number}/move",
        data={"csrf": csrf, "action": "win", "view": "board"},
        headers=HTMX,
    )
    assert answer.status_code == 409
    assert "Lead 1 is Pending; only In Progress leads can be won" in answer.text
    assert answer.text.startswith('<div id="board"')
    _fresh(db)
    assert db.get(Lead, lead.id).life_cycle_state == "PENDING"
    assert db.scalar(select(func.count(LeadEvent.id))) == 0


def test_a_board_move_without_htmx_goes_back_to_the_board(signed_in, csrf_of, reference, make_lead):
    lead = make_lead("PENDING")
    csrf = _csrf(signed_in, csrf_of, "/web/board")
    url = f"/web/leads/{lead.number}/move"
    data = {"csrf": csrf, "action": "cancel", "view": "board"}
    answer = signed_in.post(url, data=data, follow_redirects=False)
    assert answer.status_code == 303
    # back to the board, scrolled to the card (its number as the address's fragment)
    assert answer.headers["location"] == f"/web/board?type={reference['type'].id}#lead-1"
    refused = signed_in.post(url, data=data)
    assert refused.status_code == 409 and "<html" in refused.text
    assert "only Pending or In Progress leads can be cancelled" in refused.text


def test_a_card_dropped_on_a_column_takes_its_status(signed_in, csrf_of, reference, make_lead, db):
    statuses = reference["statuses"]
    other = LeadStatus(name="Qualify", life_cycle_state="PENDING")
    reference["type"].statuses.append(other)
    db.commit()
    pending = make_lead("PENDING", topic="Drop me")
    active = make_lead("IN_PROGRESS", topic="Win me", contact=Contact(type="PERSON", last_name="Y"))
    csrf = _csrf(signed_in, csrf_of, "/web/board")

    def drop(lead, status, **extra):
        data = {"csrf": csrf, "number": lead.number, "status": status.id, **extra}
        return signed_in.post("/web/board/drop", data=data, headers=HTMX)

    assert drop(pending, other).status_code == 200  # same state: the status changes
    answer = drop(active, statuses["IN_PROGRESS"])  # where it is already: nothing to do
    assert answer.status_code == 200
    refused = drop(active, statuses["PENDING"])
    assert refused.status_code == 409 and "No move leads back to Pending" in refused.text
    no_reason = drop(active, statuses["LOST"])
    assert no_reason.status_code == 400
    assert "Lost reason is mandatory to lose a lead" in no_reason.text
    assert drop(active, statuses["WON"]).status_code == 200
    _fresh(db)
    assert db.get(Lead, pending.id).status.name == "Qualify"
    won = db.get(Lead, active.id)
    assert won.life_cycle_state == "WON" and won.accounts_receivable is not None
    actions = db.scalars(select(LeadEvent.action).order_by(LeadEvent.id)).all()
    assert actions == ["update", "win"]


def _sets(signed_in, csrf_of, lead, **data):
    page = signed_in.get(f"/web/leads/{lead.number}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {"csrf": csrf_of(page), "version": version, **data}
    return signed_in.post(f"/web/leads/{lead.number}/sets", data=form, follow_redirects=False)


def test_competitors_and_team_are_added_and_removed_on_the_detail_page(
    signed_in, csrf_of, reference, make_lead, db
):
    rival = Competitor(name="Acme Solar")
    db.add(rival)
    lead = make_lead("IN_PROGRESS")
    db.commit()
    page = signed_in.get(f"/web/leads/{lead.number}").text
    assert f'<option value="{rival.id}">Acme Solar</option>' in page
    assert _sets(signed_in, csrf_of, lead, name="competitors", add=rival.id).status_code == 303
    maria = db.scalar(select(User).where(User.username == "maria"))
    assert _sets(signed_in, csrf_of, lead, name="users", add=maria.id).status_code == 303
    _fresh(db)
    assert [c.competitor.name for c in lead.competitors] == ["Acme Solar"]
    assert [u.user.username for u in lead.users] == ["maria"]
    page = signed_in.get(f"/web/leads/{lead.number}").text
    assert f'<option value="{rival.id}">' not in page  # already there: not offered again
    row = lead.competitors[0].id
    assert _sets(signed_in, csrf_of, lead, name="competitors", remove=row).status_code == 303
    _fresh(db)
    assert lead.competitors == [] and len(lead.users) == 1
    actions = db.scalars(select(LeadEvent.action).where(LeadEvent.lead_id == lead.id)).all()
    assert len(actions) == 3


def test_refused_set_edits_show_the_message_and_change_nothing(
    signed_in, csrf_of, reference, make_lead, db
):
    rival = Competitor(name="Acme Solar")
    db.add(rival)
    lead = make_lead("IN_PROGRESS")
    db.commit()
    _sets(signed_in, csrf_of, lead, name="competitors", add=rival.id)
    again = _sets(signed_in, csrf_of, lead, name="competitors", add=rival.id)
    assert again.status_code == 422 and "already in the lead" in again.text
    gone = _sets(signed_in, csrf_of, lead, name="competitors", remove="no-such-row")
    assert gone.status_code == 404
    assert _sets(signed_in, csrf_of, lead, name="colours", add="x").status_code == 422
    assert _sets(signed_in, csrf_of, lead, name="users").status_code == 422
    page = signed_in.get(f"/web/leads/{lead.number}").text
    stale = signed_in.post(
        f"/web/leads/{lead.number}/sets",
        data={"csrf": csrf_of(page), "version": "0", "name": "competitors", "remove": "x"},
    )
    assert stale.status_code == 409
    no_csrf = signed_in.post(
        f"/web/leads/{lead.number}/sets", data={"name": "competitors", "add": rival.id}
    )
    assert no_csrf.status_code == 403
    _fresh(db)
    assert [c.competitor.name for c in lead.competitors] == ["Acme Solar"] and lead.version == 2


def test_a_closed_leads_sets_cannot_be_changed(signed_in, csrf_of, reference, make_lead, db):
    rival = Competitor(name="Acme Solar")
    db.add(rival)
    lead = make_lead("WON")
    db.commit()
    page = signed_in.get(f"/web/leads/{lead.number}").text
    assert "Add competitor" not in page
    form = {"csrf": csrf_of(page), "version": lead.version, "name": "competitors", "add": rival.id}
    refused = signed_in.post(f"/web/leads/{lead.number}/sets", data=form)
    assert refused.status_code == 409 and "only Pending or In Progress" in refused.text
    _fresh(db)
    assert lead.competitors == []


def test_products_items_are_added_and_removed_on_the_detail_page(
    signed_in, csrf_of, reference, make_lead, db
):
    panel = Product(code="PV-400", product_type=ProductType(name="Panels"))
    db.add(panel)
    lead = make_lead("PENDING")
    db.commit()
    page = signed_in.get(f"/web/leads/{lead.number}").text
    assert f'<option value="product:{panel.id}">PV-400</option>' in page
    item = f"product:{panel.id}"
    added = _sets(signed_in, csrf_of, lead, name="products", add=item, kind="PRODUCT")
    assert added.status_code == 303
    by_type = f"product_type:{panel.product_type.id}"
    assert _sets(signed_in, csrf_of, lead, name="products", add=by_type, kind="SERVICE")
    twice = _sets(signed_in, csrf_of, lead, name="products", add=item, kind="PRODUCT")
    assert twice.status_code == 422 and "is already among the lead" in twice.text
    odd = _sets(signed_in, csrf_of, lead, name="products", add="colour:red")
    assert odd.status_code == 422
    _fresh(db)
    assert [(p.kind, p.product and p.product.code) for p in lead.products] == [
        ("PRODUCT", "PV-400"),
        ("SERVICE", None),
    ]
    removed = _sets(signed_in, csrf_of, lead, name="products", remove=lead.products[0].id)
    assert removed.status_code == 303
    _fresh(db)
    assert [p.kind for p in lead.products] == ["SERVICE"]
