"""Helpers of the XML face's HTTP tests: credentials, reading answers, the database after."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

import pytest
from sqlalchemy import select

from leadbook.models import Lead
from tests.crmcom.conftest import SEED_TOKEN

# one of the demo's literal seed tokens: Basic with a password costs an argon2 check a request
AUTH = {"Authorization": f"Bearer {SEED_TOKEN}"}


def fields_of(response) -> dict[str, str]:
    """The elements of a ``<lead>`` answer, by tag."""
    assert response.status_code in (200, 201), response.text
    return {child.tag: child.text or "" for child in fromstring(response.content)}


def errors_of(response) -> list[str]:
    """The messages of an ``<errors>`` answer."""
    root = fromstring(response.content)
    assert root.tag == "errors", response.text
    return [e.text for e in root]


def lead_row(db, number) -> Lead:
    """The lead as the database holds it now (what the requests committed)."""
    db.rollback()
    db.expire_all()
    return db.scalar(select(Lead).where(Lead.number == int(number)))


@pytest.fixture
def post_lead(client, demo):
    """POSTs a ``<lead>`` body and returns the answer's fields."""

    def post(body: str) -> dict[str, str]:
        return fields_of(client.post("/leads.xml", content=body.encode(), headers=AUTH))

    return post
