"""Domain fixtures: the demo administrator as the actor of direct domain calls."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain.actor import Actor


@pytest.fixture
def actor(db, demo) -> Actor:
    user = db.scalar(select(m.User).where(m.User.username == "mpadministrator"))
    return Actor(user, None)
