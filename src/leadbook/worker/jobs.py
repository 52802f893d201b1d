"""The worker's scheduled jobs: due-date events, the purge of dead tokens and of old
delivered webhook deliveries, the daily rescoring of open leads."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.db import transaction
from leadbook.domain import clock, due, feed, scoring
from leadbook.domain.filters import LIVE
from leadbook.webhooks import queue
from leadbook.webhooks.clock import precise_now

BATCH = 500
RESCORED = "rescored"  # the counter holding the last day (its ordinal) scores were recomputed


def due_events(db: Session, close_days: int) -> int:
    """Sends ``lead.overdue`` for each overdue lead and ``lead.close_to_completion`` for
    each lead due within ``close_days`` days, once per lead and expected completion day
    (the rule is ``domain.due``'s); returns how many. Workers running it at once send each
    one once: the notice's key refuses the second."""
    now = clock.now()
    sent = 0
    for kind, condition in (
        ("lead.overdue", due.overdue_condition(now)),
        ("lead.close_to_completion", due.close_condition(now, close_days)),
    ):
        notice = m.DueNotice
        noticed = (
            select(notice.lead_id)
            .where(
                notice.lead_id == m.Lead.id,
                notice.kind == kind,
                notice.due_on == func.date(m.Lead.expected_completion_date),
            )
            .exists()
        )
        due_now = select(m.Lead).where(and_(condition, LIVE, ~noticed)).limit(BATCH)
        for lead in db.scalars(due_now):
            expected = lead.expected_completion_date
            if expected is None:  # neither condition lets one through
                continue
            try:
                with db.begin_nested():
                    db.add(notice(lead_id=lead.id, kind=kind, due_on=expected.date()))
            except IntegrityError:
                continue
            feed.publish(db, lead, None, kind, {"expected_completion_date": expected.isoformat()})
            sent += 1
    return sent


def purge_tokens(db: Session) -> int:
    """Deletes expired and revoked tokens; returns how many."""
    return tokens.purge(db)


def purge_deliveries(db: Session, keep_days: int, now: datetime | None = None) -> int:
    """Deletes the deliveries delivered more than ``keep_days`` days ago (a batch; the
    next run takes the rest) and their tries; returns how many."""
    return queue.purge(db, (now or precise_now()) - timedelta(days=keep_days))


def rescore(sessions: sessionmaker[Session], today: date) -> int:
    """Recomputes the scores of open leads once on ``today`` whatever the workers and
    restarts (the day is claimed in the counters table), one batch a transaction, so a
    writer waits for one batch at most (SQLite's one write lock); returns how many moved."""
    with transaction(sessions) as db:
        if not _claimed(db, today):
            return 0
    moved = 0
    after: int | None = 0
    while after is not None:
        with transaction(sessions) as db:
            count, after = scoring.recompute_after(db, after)
        moved += count
    return moved


def _claimed(db: Session, today: date) -> bool:
    """Moves the ``rescored`` counter to ``today`` (its ordinal) unless it is there;
    returns whether this call moved it."""
    day = today.toordinal()
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(m.Counter).values(name=RESCORED, value=day)
    stmt = stmt.on_conflict_do_update(
        index_elements=[m.Counter.name], set_={"value": day}, where=m.Counter.value < day
    )
    return db.execute(stmt.returning(m.Counter.value)).first() is not None
