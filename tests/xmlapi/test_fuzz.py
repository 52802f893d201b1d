"""Arbitrary bodies and values sent to the XML routes: never a 5xx, errors always as
``<errors>``, and a refused request changes nothing."""

from __future__ import annotations

import base64
from urllib.parse import quote
from xml.etree.ElementTree import fromstring
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from leadbook.models import Lead
from leadbook.xmlapi import fields
from tests.xmlapi.conftest import AUTH

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ELEMENTS = sorted(fields.KNOWN) + ["is_active", "currency_id", "name", "price"]
ENCODINGS = ["UTF-8", "utf-8", "UTF-7", "UTF-16", "UTF-32", "ISO-8859-1", "ascii", "bogus"]

numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: f"{n}.{abs(n) % 97}"),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["NaN", "inf", "-0", "1e308", "1,5", "0x10", "١٢", "²", " 7 ", "", "00"]),
)
dates = st.tuples(st.integers(-99, 99999), st.integers(-1, 99), st.integers(-1, 99999)).flatmap(
    lambda t: st.sampled_from(
        [f"{t[0]:02d}-{t[1]:02d}-{t[2]}", f"{t[2]}-{t[1]:02d}-{t[0]:02d}", f"{t[0]}/{t[1]}/{t[2]}"]
    )
)
values = st.one_of(st.text(), numbers, dates, st.text(max_size=400))


def _element(name: str, value: str, as_refs: bool) -> bytes:
    text = "".join(f"&#{ord(c)};" for c in value) if as_refs else escape(value)
    return f"<{name}>{text}</{name}>".encode("utf-8", "surrogatepass")


lead_bodies = st.builds(
    lambda items, as_refs, encoding: (
        (f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else "").encode()
        + b"<lead>"
        + b"".join(_element(name, value, as_refs) for name, value in items)
        + b"</lead>"
    ),
    st.lists(st.tuples(st.sampled_from(ELEMENTS), values), max_size=8),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from(ENCODINGS)),
)
bodies = st.one_of(lead_bodies, st.binary(max_size=300), st.text(max_size=300).map(str.encode))


def _check(answer) -> None:
    assert answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    if answer.status_code >= 400:
        root = fromstring(answer.content)
        assert root.tag == "errors" and len(root) >= 1, answer.text


def _snapshot(db):
    db.rollback()
    db.expire_all()
    count = db.scalar(select(func.count(Lead.id)))
    lead = db.scalar(select(Lead).where(Lead.number == 19))
    return count, lead.version, lead.updated_date


@pytest.fixture
def fuzzed(client, demo, db):
    def send(method: str, url: str, body: bytes | None = None) -> None:
        before = _snapshot(db)
        answer = client.request(method, url, content=body, headers=AUTH)
        _check(answer)
        if answer.status_code >= 400:
            assert _snapshot(db) == before

    return send


@FUZZ
@given(body=bodies)
def test_create_with_any_body(fuzzed, body):
    fuzzed("POST", "/leads.xml", body)


@FUZZ
@given(body=bodies)
def test_update_with_any_body(fuzzed, body):
    fuzzed("PUT", "/123456/leads/19.xml", body)


@FUZZ
@given(
    page=st.one_of(st.none(), st.text(), numbers),
    per_page=st.one_of(st.none(), st.text(), numbers),
    number=st.one_of(st.text(min_size=1), numbers),
)
def test_list_and_show_with_any_params(client, demo, page, per_page, number):
    params = {k: v for k, v in {"page": page, "per_page": per_page}.items() if v is not None}
    _check(client.get("/leads.xml", params=params, headers=AUTH))
    _check(client.get(f"/leads/{quote(number, safe='')}.xml", headers=AUTH))


@FUZZ
@given(username=st.text(min_size=1), password=st.text(), token=st.text(min_size=1))
def test_any_credentials(client, demo, username, password, token):
    basic = base64.b64encode(
        f"{username.replace(':', '')}:{password}".encode("utf-8", "surrogatepass")
    )
    _check(client.get("/leads.xml", headers={"Authorization": f"Basic {basic.decode()}"}))
    _check(client.get("/leads.xml", params={"token": token}))


WRITABLE = [
    "topic",
    "importance",
    "value",
    "value_date",
    "confidence_pct",
    "project_id",
    "description",
    "learning_on_customer",
    "learning_on_sales_tools",
    "learning_on_products",
]


@FUZZ
@given(name=st.sampled_from(WRITABLE), value=values)
def test_what_is_accepted_reads_back_as_written(client, demo, db, name, value):
    url = "/leads/19.xml"
    answer = client.put(
        url, content=b"<lead>" + _element(name, value, True) + b"</lead>", headers=AUTH
    )
    _check(answer)
    if answer.status_code != 200:
        return
    shown = {e.tag: e.text or "" for e in fromstring(answer.content)}
    assert fields.read({name: shown[name]}) == fields.read({name: value})
    version = _snapshot(db)[1]
    again = client.put(url, content=client.get(url, headers=AUTH).content, headers=AUTH)
    assert again.status_code == 200 and _snapshot(db)[1] == version
