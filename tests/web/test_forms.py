"""Creating and editing leads in forms, and moving them, through the domain's rules."""

import re

from sqlalchemy import func, select

from leadbook.models import Lead, LeadEvent, LostReason


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
    assert "priority must be a whole number from 1 to 6" in answer.text
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
