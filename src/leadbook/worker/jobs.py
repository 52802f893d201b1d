"""The worker's scheduled jobs: due-date events, the purge of dead tokens and of old
delivered webhook deliveries, the daily rescoring of open leads."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.domain import clock, due, feed, queries, scoring
from leadbook.webhooks import queue
from leadbook.webhooks.clock import precise_now

BATCH = 500


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
        due_now = select(m.Lead).where(and_(condition, queries.LIVE, ~noticed)).limit(BATCH)
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


def rescore(db: Session) -> int:
    """Recomputes the scores of open leads (recency and decay move with the days);
    returns how many changed."""
    return scoring.recompute(db)
