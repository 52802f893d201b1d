"""Assignment rules: a new lead whose creator names no assignee goes to the user the first
matching rule chooses (seed 002: "unless it is set automatically through ACR rules").

A rule matches when each of its conditions holds (domain/conditions.py). It names a fixed
``user``, or a ``unit`` or ``group`` whose active users take turns; the turn is kept on
the rule's row, read locked, so processes share it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.domain import conditions
from leadbook.domain.errors import InvalidValue
from leadbook.models import AssignmentRule, Lead, Unit, User


def check_rule(rule: AssignmentRule) -> None:
    """Refuses a rule with unknown fields, odd values, or not exactly one target."""
    rule.conditions = conditions.check(rule.conditions)
    targets = [t for t in (rule.user, rule.unit, rule.group) if t is not None]
    if len(targets) != 1:
        raise InvalidValue("{field}: give exactly one of user, unit and group", field="target")


def assign(db: Session, lead: Lead, rules=None) -> AssignmentRule | None:
    """Gives ``lead`` the user of the first of ``rules`` (by default the active rules)
    it matches, skipping rules with no active user to give; returns the rule, or None."""
    if rules is None:
        rules = db.scalars(
            select(AssignmentRule)
            .where(AssignmentRule.is_active.is_(True))
            .order_by(AssignmentRule.position, AssignmentRule.name)
        )
    for rule in rules:
        if not conditions.holds(lead, rule.conditions):
            continue
        user = _chosen(db, rule)
        if user is not None:
            lead.assigned_user = user
            lead.assigned_unit = rule.unit or user.unit
            return rule
    return None


def _chosen(db: Session, rule: AssignmentRule) -> User | None:
    """Returns the rule's fixed user if active, else the next of its members' turn."""
    if rule.user is not None:
        return rule.user if rule.user.is_active else None
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
    rule.last_user_id = user.id
    return user
