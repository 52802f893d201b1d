"""Lead scores: the points of the active scoring rules a lead earns, summed and stored on
the lead (``leads.score``) whenever the lead is written (writes.flush), and recomputed
nightly for open leads (their recency and decay move with the clock).

Kinds of rule (models/scoring.py): ``field`` (the lead meets ``conditions`` → ``points``),
``recency`` (last touched within ``days`` days → ``points``) and ``decay`` (``points`` per
whole day idle beyond ``days``). A closed lead keeps the score it had when it closed.

The active rules are cached per process, tagged with the rules' generation (the ``rules``
counter, moved by every flush that changes a scoring or assignment rule, in its transaction;
domain/assignment.py caches its rules under it too); a write reads the
generation in a statement it sends anyway (the token's check, the lead's locking read), so
a rules change made by any process is honoured by every process's next write, and a write
of unchanged rules reads none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, Table, bindparam, event, func, select, update
from sqlalchemy.orm import Session, UOWTransaction

from leadbook import models as m
from leadbook.domain import clock, conditions, numbering
from leadbook.domain.errors import InvalidValue
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.domain.workflow import recency

KINDS = ("field", "recency", "decay")
MAX_POINTS = 10_000
MAX_DAYS = 3650
_CACHE = "scoring_rules"
_SEEN = "scoring_generation"
GENERATION = "rules"  # the counter a rules change moves on
BATCH = 1000
LEADS = cast(Table, m.Lead.__table__)


@dataclass(frozen=True)
class Part:
    """What one rule gave a lead, and why."""

    rule: str
    kind: str
    points: int
    reason: str


@dataclass(frozen=True)
class Rule:
    """An active rule as scoring reads it, detached from any session (kept per process)."""

    name: str
    kind: str
    conditions: dict[str, Any]
    points: int
    days: int


# the active rules of the newest generation this process read: (generation, rules)
T = TypeVar("T")
_process: list[tuple[int, list[Rule]]] = []


def check_rule(rule: m.ScoringRule) -> None:
    """Refuses a rule of an unknown kind, points or days out of bounds, or conditions on
    fields a lead does not have; the refusal names the field."""
    rule.kind = rule.kind or "field"
    rule.points, rule.days = rule.points or 0, rule.days or 0
    if rule.kind not in KINDS:
        raise InvalidValue(f"{{field}} must be one of {', '.join(KINDS)}", field="kind")
    if not -MAX_POINTS <= rule.points <= MAX_POINTS:
        raise InvalidValue(f"{{field}} must be within ±{MAX_POINTS}", field="points")
    if not 0 <= rule.days <= MAX_DAYS:
        raise InvalidValue(f"{{field}} must be from 0 to {MAX_DAYS}", field="days")
    rule.conditions = conditions.check(rule.conditions)
    if rule.kind != "field" and rule.conditions:
        raise InvalidValue("{field} apply to field rules only", field="conditions")
    if rule.kind == "recency" and not rule.days:
        raise InvalidValue("{field}: a recency rule needs at least 1 day", field="days")


def generation() -> ColumnElement[int]:
    """Returns the SQL of the rules' generation, for a column of a statement a write sends
    anyway (its value then given to ``seen``)."""
    moved = select(m.Counter.value).where(m.Counter.name == GENERATION).scalar_subquery()
    return func.coalesce(moved, 0).label("rules_generation")


def seen(db: Session, value: int) -> None:
    """Notes the rules' generation read in this transaction (``generation``)."""
    db.info[_SEEN] = (db.get_transaction(), value)


def held(db: Session, store: list[tuple[int, T]], read: Callable[[], T]) -> T:
    """Returns what this process keeps in ``store`` for the rules' generation this
    transaction read (``seen``), else ``read()``, kept there when a generation was read
    (read after it: at least as new as it)."""
    noted = db.info.get(_SEEN)
    known = noted[1] if noted is not None and noted[0] is db.get_transaction() else None
    if known is not None and store and store[0][0] == known:
        return store[0][1]
    found = read()
    if known is not None:
        store[:] = [(known, found)]
    return found


def active_rules(db: Session) -> list[Rule]:
    """Returns the active rules in order, read once per transaction, and not at all when
    this process holds them for the generation the transaction read (``seen``)."""
    transaction = db.get_transaction()
    cached = db.info.get(_CACHE)
    if cached is not None and cached[0] is transaction:
        return cached[1]
    query = (
        select(m.ScoringRule)
        .where(m.ScoringRule.is_active.is_(True))
        .order_by(m.ScoringRule.position, m.ScoringRule.name)
    )
    rules = held(
        db,
        _process,
        lambda: [
            Rule(r.name, r.kind, dict(r.conditions or {}), r.points, r.days)
            for r in db.scalars(query)
        ],
    )
    db.info[_CACHE] = (transaction, rules)
    return rules


@event.listens_for(Session, "before_flush")
def _moved(db: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Moves the rules' generation on when the flush changes a scoring or assignment rule,
    so every process's next write reads the rules again; this transaction reads them from
    the database."""
    changed = (*db.new, *db.deleted, *(r for r in db.dirty if db.is_modified(r)))
    if any(isinstance(row, m.ScoringRule | m.AssignmentRule) for row in changed):
        db.execute(numbering.moving(db.get_bind().dialect.name, GENERATION, None))
        db.info.pop(_CACHE, None)
        db.info.pop(_SEEN, None)


def explain(lead: m.Lead, rules: list[Rule], now: datetime) -> list[Part]:
    """Returns what each rule gives ``lead`` at ``now``, leaving out rules that give 0."""
    idle = max((now - recency.last_touch(lead)).days, 0)
    parts = []
    for rule in rules:
        if rule.kind == "field":
            if conditions.holds(lead, rule.conditions):
                wanted = ", ".join(f"{k} = {v}" for k, v in rule.conditions.items())
                parts.append(Part(rule.name, rule.kind, rule.points, wanted or "every lead"))
        elif rule.kind == "recency":
            if idle < rule.days:
                reason = f"touched {idle} day(s) ago, within {rule.days}"
                parts.append(Part(rule.name, rule.kind, rule.points, reason))
        elif idle > rule.days:
            days = idle - rule.days
            reason = f"{days} idle day(s) beyond {rule.days} × {rule.points}"
            parts.append(Part(rule.name, rule.kind, rule.points * days, reason))
    return [part for part in parts if part.points]


def score(lead: m.Lead, rules: list[Rule], now: datetime) -> int:
    """Returns ``lead``'s score at ``now``: the sum of what the rules give it."""
    return sum(part.points for part in explain(lead, rules, now))


def rescore(db: Session) -> None:
    """Gives each new or changed lead of the session its score, before it is written
    (in the same UPDATE or INSERT)."""
    leads = [row for row in (*db.new, *db.dirty) if isinstance(row, m.Lead)]
    if not leads:
        return
    rules, now = active_rules(db), clock.now()
    for lead in leads:
        value = score(lead, rules, now)
        if lead.score != value:
            lead.score = value


def recompute(db: Session) -> int:
    """Recomputes the score of every open lead as of now, in batches by number, without
    counting as a change of the lead (no version, no event); returns how many moved."""
    moved = 0
    after: int | None = 0
    while after is not None:
        count, after = recompute_after(db, after)
        moved += count
    return moved


def recompute_after(db: Session, after: int) -> tuple[int, int | None]:
    """Recomputes the scores of the next BATCH open leads numbered above ``after``
    (``recompute``); returns how many moved and the last number (None: none was left)."""
    rules, now = active_rules(db), clock.now()
    batch = list(
        db.scalars(
            select(m.Lead)
            .where(m.Lead.life_cycle_state.in_(OPEN_STATES), m.Lead.number > after)
            .order_by(m.Lead.number)
            .limit(BATCH)
        )
    )
    if not batch:
        return 0, None
    changed = [
        {"key": lead.id, "value": value}
        for lead in batch
        if (value := score(lead, rules, now)) != lead.score
    ]
    if changed:
        by_key = update(LEADS).where(LEADS.c.id == bindparam("key"))
        db.execute(by_key.values(score=bindparam("value")), changed)
    for lead in batch:  # a batch at a time in memory
        db.expunge(lead)
    return len(changed), batch[-1].number
