"""Assignment rules: a new lead whose creator names no assignee goes to the user the first
matching rule chooses (seed 002: "unless it is set automatically through ACR rules").

A rule matches when each of its conditions holds: a field of the lead (a column such as
``source_type`` or ``priority``, a reference by name such as ``type`` or ``category``, or
``country``, the contact's country of residence, or ``attribution.utm_source`` and the
like, see capture.py) equals the value, or one of a list of
values, ignoring case. It names a fixed ``user``, or a ``unit`` or ``group`` whose active
users take turns; the turn is kept on the rule's row, read locked, so processes share it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from leadbook.domain.errors import InvalidValue
from leadbook.models import AssignmentRule, Lead, Unit, User

FIELDS = frozenset(
    {c.key for c in Lead.__table__.columns if not c.key.endswith("_id")}
    | set(inspect(Lead).relationships.keys())
    | {"country"}
) - {"id", "version", "competitors", "users", "products"}


def check_rule(rule: AssignmentRule) -> None:
    """Refuses a rule with unknown fields, odd values, or not exactly one target."""
    if rule.conditions is None:  # left out: every lead
        rule.conditions = {}
    if not isinstance(rule.conditions, dict):
        raise InvalidValue("{field} must be a mapping of field: value", field="conditions")
    for key, value in rule.conditions.items():
        if key not in FIELDS and not key.startswith("attribution."):
            raise InvalidValue(f"{{field}}: a lead has no field {key!r}", field="conditions")
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise InvalidValue(
                    f"{{field}}.{key} must be text, a number or a list of them",
                    field="conditions",
                )
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
        if not all(_holds(lead, key, value) for key, value in rule.conditions.items()):
            continue
        user = _chosen(db, rule)
        if user is not None:
            lead.assigned_user = user
            lead.assigned_unit = rule.unit or user.unit
            return rule
    return None


def _holds(lead: Lead, key: str, wanted: Any) -> bool:
    if key == "country":
        country = lead.contact.country_of_residence if lead.contact else None
        value: Any = country.name if country else None
    elif key.startswith("attribution."):
        value = (lead.attribution or {}).get(key.partition(".")[2])
    else:
        value = getattr(lead, key)
        value = getattr(value, "name", getattr(value, "username", value))
    if value is None:
        return False
    options = wanted if isinstance(wanted, list) else [wanted]
    return any(str(value).casefold() == str(option).casefold() for option in options)


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
