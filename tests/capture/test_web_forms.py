"""Web pages of capture: the forms page shows each form's embeddable snippet (admins
only); a lead's page shows its attribution."""

import re
from html import unescape

import pytest

from tests.capture.conftest import ADMIN, SITE


def _sign_in(client, username="mpadministrator", password="leadbook-demo"):
    page = client.get("/web/login").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    data = {"username": username, "password": password, "csrf": csrf}
    assert client.post("/web/login", data=data, follow_redirects=False).status_code == 303


def test_the_forms_page_shows_the_snippet(client, form):
    _sign_in(client)
    page = client.get("/web/intake-forms")
    assert page.status_code == 200
    html = unescape(page.text)
    assert f'<form method="post" action="http://testserver/intake/{form}">' in html
    assert 'name="leadbook_hp"' in html and 'name="utm_source" data-attribution' in html
    assert '<input type="email" name="mail">' in html


@pytest.fixture
def seller_password(client, demo):
    row = [{"username": "x_poulli", "password": "seller-password-1"}]
    assert client.put("/api/admin/users", json=row, headers=ADMIN).status_code == 200
    return "seller-password-1"


def test_the_forms_page_is_for_admins(client, seller_password):
    _sign_in(client, "x_poulli", seller_password)
    assert client.get("/web/intake-forms").status_code == 403


def test_the_lead_page_shows_the_attribution(client, form):
    answer = client.post(
        f"/intake/{form}",
        data={"name": "Hopper", "utm_source": "ads", "fbclid": "fb1"},
        headers={"Origin": SITE},
    )
    _sign_in(client)
    page = client.get(f"/web/leads/{answer.json()['lead']}").text
    shown = re.search(r'<dd id="attribution">(.*?)</dd>', page, re.S).group(1)
    assert "utm_source: ads" in shown and "fbclid: fb1" in shown


def test_the_forms_page_shows_a_form_s_mail_address(client, form):
    row = [{"key": form, "email_address": "Sales@Shop.test"}]
    assert client.put("/api/admin/intake_forms", json=row, headers=ADMIN).status_code == 200
    _sign_in(client)
    page = client.get("/web/intake-forms").text
    assert 'href="mailto:sales@shop.test">sales@shop.test</a>' in page
