"""The web pages under a path prefix (``serve --root-path /crm``): every address a page
holds and every redirect starts with the prefix. As uvicorn does, the client asks for the
prefixed path with the root path in the scope."""

import re

import pytest
from fastapi.testclient import TestClient

from leadbook.domain import feed, subscriptions
from leadbook.models import IntakeForm
from leadbook.webhooks import fanout

ROOT = "/crm"
# every attribute holding an address a browser follows or posts to
ADDRESS = re.compile(r'\s(?:href|src|action|hx-(?:get|post|put|patch|delete))="([^"]*)"')


@pytest.fixture
def prefixed(app, reference, csrf_of, password):
    """A client signed in through the login form under the prefix."""
    with TestClient(app, root_path=ROOT) as client:
        form = client.get(f"{ROOT}/web/login")
        login_cookie = form.headers["set-cookie"].lower()
        assert f"path={ROOT}/web/login" in login_cookie
        answer = client.post(
            f"{ROOT}/web/login",
            data={"username": "maria", "password": password, "csrf": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"{ROOT}/web/board"
        yield client


def addresses(html: str) -> list[str]:
    found = ADDRESS.findall(html)
    assert found, "the page holds no address"
    return found


def test_every_address_on_every_page_carries_the_prefix(prefixed, make_lead, db, reference):
    lead = make_lead("IN_PROGRESS", topic="Under a prefix")
    db.add(
        IntakeForm(
            key="contact",
            name="Contact us",
            lead_type=reference["type"],
            user=reference["user"],
            source_type="WEBSITE",
            allowed_origins=["https://shop.example"],
        )
    )
    subscriptions.save(db, "crm", {"url": "https://crm.example/hooks"})
    feed.publish(db, lead, None, "lead.updated", {"changes": {}})
    db.commit()
    fanout.fan_out(db)
    db.commit()
    pages = [
        "/web/board",
        "/web/leads",
        "/web/leads?size=1&page=1",
        f"/web/leads/{lead.number}",
        f"/web/leads/{lead.number}/edit",
        "/web/leads/new",
        "/web/dashboard",
        "/web/intake-forms",
        "/web/webhooks",
        "/web/webhooks/crm",
    ]
    for page in pages:
        answer = prefixed.get(ROOT + page)
        assert answer.status_code == 200, (page, answer.text)
        wrong = [a for a in addresses(answer.text) if not a.startswith(ROOT + "/web/")]
        assert wrong == [], page
    snippet = prefixed.get(f"{ROOT}/web/intake-forms").text
    assert f"http://testserver{ROOT}/intake/contact" in snippet


def test_the_login_page_and_its_redirect_carry_the_prefix(app, reference):
    with TestClient(app, root_path=ROOT) as client:
        for path in ("/web/board", "/"):
            answer = client.get(ROOT + path, follow_redirects=False)
            assert answer.status_code == 303
        assert client.get(f"{ROOT}/web/board", follow_redirects=False).headers["location"] == (
            f"{ROOT}/web/login"
        )
        assert client.get(f"{ROOT}/", follow_redirects=False).headers["location"] == (
            f"{ROOT}/web/board"
        )
        login = client.get(f"{ROOT}/web/login")
        assert login.status_code == 200
        assert all(a.startswith(ROOT + "/web/") for a in addresses(login.text))


def test_every_redirect_after_a_post_carries_the_prefix(prefixed, csrf_of, reference):
    csrf = csrf_of(prefixed.get(f"{ROOT}/web/leads/new").text)
    new = {
        "type": reference["type"].id,
        "importance": "IMPORTANCE3",
        "priority": "3",
        "start_date": "2026-01-01",
        "estimate_value": "3",
        "estimate_unit": "DAYS",
        "source_type": "OTHER",
        "source_name": "a proxy",
        "last_name": "Prefixed",
    }
    created = prefixed.post(f"{ROOT}/web/leads/new", data={**new, "csrf": csrf})
    number = int(str(created.url).rsplit("/", 1)[1])
    posts = [
        (f"/web/leads/{number}/edit", {"version": "1", "topic": "Renamed"}),
        (f"/web/leads/{number}/sets", {"name": "users", "add": reference["user"].id}),
        (f"/web/leads/{number}/move", {"action": "start_progress", "view": "lead"}),
        (f"/web/leads/{number}/move", {"action": "win", "view": "board"}),
        ("/web/logout", {}),
    ]
    locations = []
    for path, data in posts:
        answer = prefixed.post(ROOT + path, data={**data, "csrf": csrf}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        locations.append(answer.headers["location"])
    assert created.history[0].headers["location"] == f"{ROOT}/web/leads/{number}"
    assert locations == [
        f"{ROOT}/web/leads/{number}",
        f"{ROOT}/web/leads/{number}",
        f"{ROOT}/web/leads/{number}",
        f"{ROOT}/web/board?type={reference['type'].id}#lead-{number}",
        f"{ROOT}/web/login",
    ]


def test_refusals_under_the_prefix_are_the_web_face_s(prefixed):
    missing = prefixed.get(f"{ROOT}/web/leads/999999")
    assert missing.status_code == 404 and 'role="alert"' in missing.text
    assert all(a.startswith(ROOT + "/web/") for a in addresses(missing.text))


def test_a_column_opened_alone_carries_the_prefix(prefixed, make_lead, reference):
    make_lead("WON", topic="Signed")
    won = reference["statuses"]["WON"].id
    board = prefixed.get(f"{ROOT}/web/board").text
    assert f'hx-get="{ROOT}/web/board/column?' in board  # the Show link's swap
    answer = prefixed.get(
        f"{ROOT}/web/board/column", params={"column": won}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200 and "Signed" in answer.text
    assert answer.headers["HX-Replace-Url"].startswith(f"{ROOT}/web/board?")
    assert all(a.startswith(ROOT + "/web/") for a in addresses(answer.text))
    plain = prefixed.get(f"{ROOT}/web/board/column", params={"column": won}, follow_redirects=False)
    assert plain.headers["location"].startswith(f"{ROOT}/web/board?")
