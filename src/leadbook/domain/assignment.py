"""Assignment rules: a new lead whose creator names no assignee goes to the user the first
matching rule chooses (seed 002: "unless it is set automatically through ACR rules").

A rule matches when each of its conditions holds (domain/conditions.py). It names a fixed
``user``, or a ``unit`` or ``group`` whose active users take turns; the turn is kept on
the rule's row, read locked, so processes share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leadbook.domain import conditions, scoring
from leadbook.domain.errors import InvalidValue
from leadbook.models import AssignmentRule, Lead, Unit, User


@dataclass(frozen=True)
class Rule:
    """An active rule as a create tries it, detached from any session (kept per process,
    under the rules' generation: scoring.held)."""

    id: str
    name: str
    conditions: dict[str, Any]
    user_id: str | None
    unit_id: str | None
    group_id: str | None


# the active rules of the newest generation this process read: (generation, rules)
_process: list[tuple[int, list[Rule]]] = []


def check_rule(rule: AssignmentRule) -> None:
    """Refuses a rule with unknown fields, odd values, or not exactly one target."""
    rule.conditions = conditions.check(rule.conditions)
    targets = [t for t in (rule.user, rule.unit, rule.group) if t is not None]
    if len(targets) != 1:
        raise InvalidValue("{field}: give exactly one of user, unit and group", field="target")


def assign(db: Session, lead: Lead, rules: list[AssignmentRule] | None = None) -> Rule | None:
    """Gives ``lead`` the user of the first of ``rules`` (by default the active rules)
    it matches, skipping rules with no active user to give; returns the rule, or None."""
    tried = [_detached(rule) for rule in rules] if rules is not None else _active(db)
    for rule in tried:
        if not conditions.holds(lead, rule.conditions):
            continue
        user = _chosen(db, rule)
        if user is not None:
            lead.assigned_user = user
            lead.assigned_unit = db.get(Unit, rule.unit_id) if rule.unit_id else user.unit
            return rule
    return None


def _detached(rule: AssignmentRule) -> Rule:
    conditions = dict(rule.conditions or {})
    return Rule(rule.id, rule.name, conditions, rule.user_id, rule.unit_id, rule.group_id)


def _active(db: Session) -> list[Rule]:
    """Returns the active rules in order; not read when this process holds them for the
    generation the transaction read (a create through a face: none at all)."""
    query = (
        select(AssignmentRule)
        .where(AssignmentRule.is_active.is_(True))
        .order_by(AssignmentRule.position, AssignmentRule.name)
    )
    return scoring.held(db, _process, lambda: [_detached(rule) for rule in db.scalars(query)])


def _chosen(db: Session, rule: Rule) -> User | None:
    """Returns the rule's fixed user if active, else the next of its members' turn (kept
    on the rule's row, locked; written by a statement of its own, no change of the rule)."""
    if rule.user_id is not None:
        fixed = db.get(User, rule.user_id)
        return fixed if fixed is not None and fixed.is_active else None
    last = db.scalar(
        select(AssignmentRule.last_user_id).where(AssignmentRule.id == rule.id).with_for_update()
    )
    members = select(User).where(User.is_active.is_(True)).order_by(User.id)
    if rule.unit_id is not None:
        members = members.where(User.unit_id == rule.unit_id)
    else:
        members = members.join(Unit, User.unit_id == Unit.id).where(Unit.group_id == rule.group_id)
    users = db.scalars(members).all()
    if not users:
        return None
    user = next((u for u in users if last is not None and u.id > last), users[0])
    turn = update(AssignmentRule).where(AssignmentRule.id == rule.id)
    db.execute(turn.values(last_user_id=user.id))
    return user
