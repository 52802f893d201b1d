"""Web fixtures: a lead type with a status per life cycle state, a user who can log in, leads."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from leadbook.auth.passwords import hash_password
from leadbook.models import Contact, Lead, LeadStatus, LeadType, LostReason, Role, User

PASSWORD = "correct horse battery"


@pytest.fixture
def reference(db):
    """Creates the Sales lead type (Reach, Learn, Won, Lost, Cancelled), an administrator
    (who sees every lead), lost reasons."""
    statuses = {
        state: LeadStatus(name=name, life_cycle_state=state)
        for name, state in [
            ("Reach", "PENDING"),
            ("Learn", "IN_PROGRESS"),
            ("Won", "WON"),
            ("Lost", "LOST"),
            ("Cancelled", "CANCELLED"),
        ]
    }
    lead_type = LeadType(
        name="Sales",
        statuses=list(statuses.values()),
        create_status=statuses["PENDING"],
        start_status=statuses["IN_PROGRESS"],
        win_status=statuses["WON"],
        lost_status=statuses["LOST"],
        cancel_status=statuses["CANCELLED"],
    )
    user = User(
        username="maria",
        person_name="Maria Sales",
        password_hash=hash_password(PASSWORD),
        role=Role.ADMIN,
    )
    db.add_all([lead_type, user, LostReason(name="Price"), LostReason(name="Timing")])
    db.commit()
    return {"type": lead_type, "statuses": statuses, "user": user}


@pytest.fixture
def make_lead(db, reference):
    """Returns a function storing a lead of the Sales type in the given state (of a new
    person, Jane Doe, unless ``contact`` is given)."""
    numbers = iter(range(1, 10_000))

    def make(state="PENDING", **values) -> Lead:
        lead = Lead(
            number=next(numbers),
            life_cycle_state=state,
            type=reference["type"],
            status=reference["statuses"][state],
            importance=values.pop("importance", "IMPORTANCE3"),
            priority=values.pop("priority", 3),
            source_type="OTHER",
            start_date=datetime(2026, 1, 1),
            contact=values.pop("contact", None)
            or Contact(type="PERSON", first_name="Jane", last_name="Doe"),
            **values,
        )
        db.add(lead)
        db.commit()
        return lead

    return make


@pytest.fixture
def password():
    """The password of the fixture user."""
    return PASSWORD


@pytest.fixture
def login(client, csrf_of):
    """Returns a function opening the login form, then posting it (with the CSRF token the
    form carries); the client keeps the cookies it gets."""

    def post(username="maria", password=PASSWORD):
        csrf = csrf_of(client.get("/web/login").text)
        return client.post(
            "/web/login",
            data={"username": username, "password": password, "csrf": csrf},
            follow_redirects=False,
        )

    return post


@pytest.fixture
def csrf_of():
    """Returns a function finding the CSRF token a page carries in its forms."""
    return lambda html: re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
def signed_in(client, reference, login):
    """A client with a live session."""
    assert login().status_code == 303
    return client


@pytest.fixture
def past():
    """A moment three days ago."""
    return datetime.utcnow() - timedelta(days=3)
