"""The webhooks admin pages: subscriptions with their state, the delivery log, pause,
resume and redelivery of one event as plain forms; administrators only."""

import re
from datetime import datetime

import pytest

from leadbook import models as m
from leadbook.auth.passwords import hash_password
from leadbook.domain import feed, subscriptions
from leadbook.webhooks import fanout, queue
from leadbook.webhooks.sending import Result

HOOKS = "/web/webhooks"


@pytest.fixture
def hook(db, reference, make_lead):
    """Subscription crm with three deliveries: one failing (a 500 in 12 ms), one delivered
    (a 204 in 5 ms), one not tried yet; returns their event positions in that order."""
    row, _ = subscriptions.save(db, "crm", {"url": "https://crm.example/hooks"})
    leads = [make_lead(topic=f"Hooked {n}") for n in range(3)]
    for lead in leads:
        feed.publish(db, lead, None, "lead.updated", {"changes": {}})
    db.commit()
    assert fanout.fan_out(db) == 3
    now = datetime.utcnow()
    jobs = queue.claim(db, queue.Policy(), now, limit=2)
    outcomes = [(jobs[0], Result(500, 12, "HTTP 500")), (jobs[1], Result(204, 5, None))]
    queue.record(db, outcomes, queue.Policy(), now)
    db.commit()
    rows = db.query(m.WebhookDelivery).filter_by(subscription_id=row.id)
    return [d.position for d in rows.order_by(m.WebhookDelivery.position)]


def _row(html: str, position: int) -> str:
    return re.search(rf'<tr id="delivery-{position}".*?</tr>', html, re.S).group(0)


def test_admins_see_the_subscriptions_with_their_state_from_the_nav(signed_in, db, hook):
    row, _ = subscriptions.save(db, "erp", {"url": "https://erp.example/in"})
    subscriptions.pause(row, "Event 7 was not delivered in 30 tries over 24 h; last: HTTP 502")
    db.commit()
    board = signed_in.get("/web/board").text
    assert f'href="{HOOKS}"' in board
    page = signed_in.get(HOOKS)
    assert page.status_code == 200
    crm = re.search(r'<tr id="hook-crm".*?</tr>', page.text, re.S).group(0)
    erp = re.search(r'<tr id="hook-erp".*?</tr>', page.text, re.S).group(0)
    assert "https://crm.example/hooks" in crm and "active" in crm and ">Pause<" in crm
    assert "paused" in erp and "last: HTTP 502" in erp and ">Resume<" in erp


def test_the_delivery_log_shows_attempts_status_time_error_and_next_attempt(signed_in, hook):
    failing, delivered, untried = hook
    html = signed_in.get(f"{HOOKS}/crm").text
    row = _row(html, failing)
    assert f"evt_{failing}" in row and "pending" in row
    assert re.search(r'class="num">1<', row) and ">500<" in row and "12 ms" in row
    assert "HTTP 500" in row and re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</td>", row)
    done = _row(html, delivered)
    assert "delivered" in done and ">204<" in done and "5 ms" in done
    assert "pending" in _row(html, untried) and re.search(r'class="num">0<', _row(html, untried))
    only = signed_in.get(f"{HOOKS}/crm", params={"state": "delivered"}).text
    assert f"evt_{delivered}" in only and f"evt_{failing}" not in only
    later = signed_in.get(f"{HOOKS}/crm", params={"after": str(delivered)}).text
    assert f"evt_{untried}" in later and f"evt_{delivered}" not in later


def test_pause_and_resume_with_plain_forms(signed_in, db, csrf_of, hook):
    row = subscriptions.find(db, "crm")
    csrf = csrf_of(signed_in.get(HOOKS).text)
    paused = signed_in.post(
        f"{HOOKS}/crm/active", data={"active": "false", "csrf": csrf}, follow_redirects=False
    )
    assert paused.status_code == 303 and paused.headers["location"] == f"{HOOKS}/crm"
    db.refresh(row)
    assert row.active is False
    assert "by an administrator" in signed_in.get(f"{HOOKS}/crm").text
    subscriptions.pause(row, "kept failing")
    db.commit()
    signed_in.post(f"{HOOKS}/crm/active", data={"active": "true", "csrf": csrf})
    db.refresh(row)
    assert row.active is True and row.paused_reason is None


def test_redeliver_one_event(signed_in, db, csrf_of, hook):
    failing, delivered, _ = hook
    csrf = csrf_of(signed_in.get(f"{HOOKS}/crm").text)
    again = signed_in.post(
        f"{HOOKS}/crm/redeliver",
        data={"position": str(delivered), "csrf": csrf},
        follow_redirects=False,
    )
    assert again.status_code == 303 and again.headers["location"] == f"{HOOKS}/crm"
    states = {d.position: d.state for d in db.query(m.WebhookDelivery).populate_existing()}
    assert states[delivered] == "pending" and states[failing] == "pending"
    html = signed_in.get(f"{HOOKS}/crm", params={"state": "delivered"}).text
    assert f"evt_{delivered}" not in html


@pytest.mark.parametrize(
    "post",
    [
        ("/crm/redeliver", {"position": "x"}),
        ("/crm/redeliver", {"position": "0"}),
        ("/crm/active", {"active": "maybe"}),
        ("/nope/active", {"active": "false"}),
    ],
)
def test_bad_posts_are_refused_on_a_page_and_change_nothing(signed_in, db, csrf_of, hook, post):
    path, data = post
    csrf = csrf_of(signed_in.get(HOOKS).text)
    before = [(d.position, d.state) for d in db.query(m.WebhookDelivery)]
    answer = signed_in.post(HOOKS + path, data={**data, "csrf": csrf})
    assert 400 <= answer.status_code < 500 and 'role="alert"' in answer.text
    db.expire_all()
    assert [(d.position, d.state) for d in db.query(m.WebhookDelivery)] == before
    assert subscriptions.find(db, "crm").active is True


def test_bad_filters_and_unknown_subscriptions_are_refused(signed_in, hook):
    for path, params in ((f"{HOOKS}/crm", {"state": "lost"}), (f"{HOOKS}/crm", {"after": "-1"})):
        answer = signed_in.get(path, params=params)
        assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert signed_in.get(f"{HOOKS}/nope").status_code == 404


def test_a_post_without_the_csrf_token_changes_nothing(signed_in, db, hook):
    answer = signed_in.post(f"{HOOKS}/crm/active", data={"active": "false"})
    assert answer.status_code == 403
    assert subscriptions.find(db, "crm").active is True


def test_others_are_refused_in_the_web_s_format(client, db, login, csrf_of, hook, password):
    db.add(m.User(username="sam", password_hash=hash_password(password), role=m.Role.SALES))
    db.commit()
    assert login("sam").status_code == 303
    assert f'href="{HOOKS}"' not in client.get("/web/board").text
    csrf = csrf_of(client.get("/web/leads").text)
    for answer in (
        client.get(HOOKS),
        client.get(f"{HOOKS}/crm"),
        client.post(f"{HOOKS}/crm/active", data={"active": "false", "csrf": csrf}),
        client.post(f"{HOOKS}/crm/redeliver", data={"position": str(hook[1]), "csrf": csrf}),
    ):
        assert answer.status_code == 403
        assert "PERMISSION_DENIED" in answer.text and 'role="alert"' in answer.text
    db.expire_all()
    assert subscriptions.find(db, "crm").active is True
    assert db.query(m.WebhookDelivery).filter_by(state="delivered").count() == 1
