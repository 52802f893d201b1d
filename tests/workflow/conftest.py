"""Workflow fixtures: a frozen clock, demo lead 40 (Pending, Main Group, assigned to the
administrator) and people of each role with tokens."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.domain import clock
from leadbook.domain.actor import Actor

NOW = datetime(2031, 3, 4, 9, 0)
# username → (role, unit); Sales Unit is in Main Group, CSR Unit in CSR Group
PEOPLE = {
    "boss": (m.Role.MANAGER, "Sales Unit"),
    "sam": (m.Role.SALES, "Sales Unit"),
    "rita": (m.Role.READ_ONLY, "Sales Unit"),
    "otto": (m.Role.SALES, "CSR Unit"),
}


@pytest.fixture
def frozen():
    """Freezes the clock at NOW; tests move it with clock.freeze."""
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


@pytest.fixture
def lead(db, demo) -> m.Lead:
    return db.scalar(select(m.Lead).where(m.Lead.number == 40))


@pytest.fixture
def users(db, demo) -> dict[str, m.User]:
    """The users of PEOPLE (and CSR Unit), and the administrator as ``admin``."""
    csr = db.scalar(select(m.Group).where(m.Group.name == "CSR Group"))
    db.add(m.Unit(name="CSR Unit", group=csr))
    db.flush()
    found = {}
    for name, (role, unit) in PEOPLE.items():
        unit_row = db.scalar(select(m.Unit).where(m.Unit.name == unit))
        found[name] = m.User(username=name, person_name=name.title(), role=role, unit=unit_row)
        db.add(found[name])
    found["admin"] = db.scalar(select(m.User).where(m.User.username == "mpadministrator"))
    db.flush()
    return found


@pytest.fixture
def as_(users):
    """Returns the domain actor of a username of ``users``."""
    return lambda name: Actor(users[name], users[name].unit, via="test")


@pytest.fixture
def bearer(db, users):
    """Returns the Authorization header of a username of ``users``."""
    issued = {name: tokens.issue(db, user, ttl_seconds=None) for name, user in users.items()}
    db.commit()
    return lambda name: {"Authorization": f"Bearer {issued[name]}"}
