"""Admin area fixtures: a signed-in client of another role, and a page's row of a table
or the message beside an input."""

from __future__ import annotations

import html
import re

import pytest

from leadbook.auth.passwords import hash_password
from leadbook.models import Role, Unit, User


@pytest.fixture
def as_role(client, db, login, reference, password):
    """Returns a function signing the client in as a new user of ``role`` (a Role)."""

    def sign_in(role: Role) -> None:
        name = f"u_{role.value.lower()}"
        db.add(User(username=name, password_hash=hash_password(password), role=role))
        db.commit()
        assert login(name).status_code == 303

    return sign_in


@pytest.fixture
def units(db, reference):
    """Two units, North and South."""
    rows = [Unit(name="North"), Unit(name="South")]
    db.add_all(rows)
    db.commit()
    return rows


@pytest.fixture
def beside():
    """Returns a function giving the message a page shows next to input ``name`` (None
    without one), checking the input points at it (aria-describedby)."""

    def message(page: str, name: str) -> str | None:
        found = re.search(rf'<span class="field-error" id="{name}-error">([^<]*)</span>', page)
        if found is None:
            return None
        assert re.search(rf'name="{name}"[^>]*aria-describedby="{name}-error"', page), name
        return html.unescape(found.group(1))

    return message
