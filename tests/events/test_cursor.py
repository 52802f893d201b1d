"""The feed cursor under concurrent writers: a reader following it sees every event, in
order, with no gaps, although transactions commit in another order than they start."""

from __future__ import annotations

import random
import threading
import time

import pytest

from leadbook import models as m
from leadbook.db import make_sessionmaker, transaction
from leadbook.domain import feed
from leadbook.domain.actor import Actor

WRITERS, EACH = 6, 8


@pytest.mark.committed_db
def test_a_reader_following_the_cursor_misses_nothing(committed_db):
    factory = make_sessionmaker(committed_db)
    lead = m.Lead(
        id="L" * 32,
        number=7,
        type=m.LeadType(name="T"),
        status=m.LeadStatus(name="S"),
        life_cycle_state="PENDING",
    )
    reader = Actor(user=m.User(username="root", role=m.Role.ADMIN), unit=None)

    def write() -> None:
        for _ in range(EACH):
            with transaction(factory) as db:
                feed.publish(db, lead, None, "lead.overdue", {})
                db.flush()  # the row exists (with its id) long before it commits
                time.sleep(random.random() * 0.02)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    cursor, seen = 0, []
    while any(t.is_alive() for t in threads) or cursor < WRITERS * EACH:
        with factory() as db:
            page = feed.page(db, reader, after=cursor, limit=5)
        positions = [e.position for e in page]
        assert positions == list(range(cursor + 1, cursor + 1 + len(positions)))
        seen += positions
        cursor = positions[-1] if positions else cursor
        time.sleep(0.002)
    assert seen == list(range(1, WRITERS * EACH + 1))
