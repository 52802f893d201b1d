"""Who may see and change which lead (docs/access.md): one visibility rule, applied inside
every query of leads, and one permission check, called by every write.

A user's group is the group of the unit the user belongs to (not the unit picked at login,
which only stamps the changes made).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import False_

from leadbook import models as m
from leadbook.domain.actor import Actor
from leadbook.domain.errors import InvalidValue, NotFound, PermissionDenied
from leadbook.models import Role

WRITERS = (Role.ADMIN, Role.MANAGER, Role.SALES)


def _group_id(user: m.User) -> str | None:
    return user.unit.group_id if user.unit is not None else None


@dataclass(frozen=True)
class Viewer:
    """Who reads, as the visibility rule needs them: each value a Python value (an actor
    loaded already) or a SQL expression (one read from its token in the same statement)."""

    user_id: Any
    role: Any
    group_id: Any  # the group of the user's unit
    clearance: Any  # the hierarchy level the user is cleared for; None: none


def viewer(actor: Actor) -> Viewer:
    """Returns ``actor`` as a Viewer."""
    user = actor.user
    clearance = user.clearance.hierarchy_level if user.clearance is not None else None
    return Viewer(user.id, user.role, _group_id(user), clearance)


def _is(value: Any, expected: Any) -> ColumnElement[bool]:
    """``value`` equals ``expected``: decided here for a Python value (the condition then
    folds away), in SQL for an expression."""
    if isinstance(value, ColumnElement):
        return value == expected
    return true() if value == expected else false()


def _given(value: Any, condition: Callable[[], ColumnElement[bool]]) -> ColumnElement[bool]:
    """``condition`` (which compares with ``value``), false when ``value`` is None: a SQL
    value that is null matches nothing in it anyway."""
    if isinstance(value, ColumnElement) or value is not None:
        return condition()
    return false()


@dataclass(frozen=True)
class Columns:
    """Where the rule reads a lead's columns: the leads table (``LEAD``), or the copy of
    them on the rows a report counts (``copied``)."""

    id: Any
    assigned_user_id: Any
    assigned_unit_id: Any
    owned_by_group_id: Any
    privacy_level_id: Any


LEAD = Columns(
    m.Lead.id,
    m.Lead.assigned_user_id,
    m.Lead.assigned_unit_id,
    m.Lead.owned_by_group_id,
    m.Lead.privacy_level_id,
)


def copied(model: Any) -> Columns:
    """Returns the lead's columns as copied onto ``model``'s rows (models/access.py), the
    lead being its ``lead_id``."""
    return Columns(
        model.lead_id,
        model.assigned_user_id,
        model.assigned_unit_id,
        model.owned_by_group_id,
        model.privacy_level_id,
    )


def _arms(v: Viewer, lead: Columns) -> list[ColumnElement[bool]]:
    """The ways the user's role reaches a lead, privacy levels aside: assigned to the user,
    listed with the user, owned by the user's group, or (a manager) in the group's units;
    those that cannot hold (no group, not a manager) left out."""
    listed = select(m.LeadUser.lead_id).where(m.LeadUser.user_id == v.user_id)

    def units() -> Select[Any]:
        return select(m.Unit.id).where(m.Unit.group_id == v.group_id)

    def managed() -> ColumnElement[bool]:
        members = select(m.User.id).where(m.User.unit_id.in_(units()))
        return and_(
            _is(v.role, Role.MANAGER),
            or_(lead.assigned_unit_id.in_(units()), lead.assigned_user_id.in_(members)),
        )

    owned = _given(v.group_id, lambda: lead.owned_by_group_id == v.group_id)
    arms = [lead.assigned_user_id == v.user_id, lead.id.in_(listed), owned]
    return [arm for arm in [*arms, _given(v.group_id, managed)] if not isinstance(arm, False_)]


def _cleared(v: Viewer, lead: Columns) -> ColumnElement[bool]:
    """The leads whose privacy level the user's clearance reaches (or that have none)."""

    def reached() -> ColumnElement[bool]:
        levels = select(m.PrivacyLevel.id).where(m.PrivacyLevel.hierarchy_level <= v.clearance)
        return lead.privacy_level_id.in_(levels)

    return or_(lead.privacy_level_id.is_(None), _given(v.clearance, reached))


def visible(who: Actor | Viewer, lead: Columns = LEAD) -> ColumnElement[bool]:
    """Returns the SQL condition a lead meets when ``who`` may see it, over ``lead``'s
    columns (the leads table's, or their copy on a report's rows: ``copied``)."""
    if isinstance(who, Actor):
        return _visible(viewer(who), lead)
    if isinstance(who.role, ColumnElement) and lead is LEAD:
        return _visible_in_sql(who)  # a Viewer built once (with parameters): so is this
    return _visible(who, lead)


def _visible(v: Viewer, lead: Columns) -> ColumnElement[bool]:
    return or_(_is(v.role, Role.ADMIN), and_(or_(*_arms(v, lead)), _cleared(v, lead)))


def summarised(who: Actor, assigned_user: m.User | None, lead: Columns) -> Any:
    """Returns ``visible`` for the leads assigned to ``assigned_user`` (None: anyone's) over
    a summary that keeps only their assigned user and privacy level (``lead``'s other
    columns None), or None when that cannot decide it: an administrator sees every lead,
    and a lead assigned to the user meets the rule's first arm, so only the clearance
    check is left; any other lead needs the other arms."""
    v = viewer(who)
    if v.role == Role.ADMIN:
        return true()
    if assigned_user is not None and assigned_user.id == v.user_id:
        return _cleared(v, lead)
    return None


def parts(who: Actor, lead: Columns = LEAD) -> list[ColumnElement[bool]]:
    """Returns ``visible`` cut in disjoint parts, one per arm of the rule, each excluding
    the arms before it: a lead ``who`` sees meets exactly one. A report sums a read per
    part (UNION ALL), each served by its own index, so it scales with what ``who`` sees."""
    v = viewer(who)
    if v.role == Role.ADMIN:
        return [true()]
    arms, cleared = _arms(v, lead), _cleared(v, lead)
    return [
        and_(arm, cleared, *(earlier.is_not(true()) for earlier in arms[:at]))
        for at, arm in enumerate(arms)
    ] or [false()]


@lru_cache(maxsize=8)
def _visible_in_sql(v: Viewer) -> ColumnElement[bool]:
    return _visible(v, LEAD)


def refusal(actor: Actor, action: str, lead: m.Lead | None = None) -> str | None:
    """Returns why the actor's role may not do ``action`` (create, update, a life cycle
    move, delete, merge) on ``lead`` (one it sees), or None when it may."""
    user = actor.user
    if user.role == Role.ADMIN:
        return None
    if user.role not in WRITERS:
        return f"User {user.username} ({user.role}) may only read leads"
    if action == "merge" and user.role != Role.MANAGER:
        return "Only an administrator or a manager may merge duplicates or undo a merge"
    group = _group_id(user)
    owns = group is not None and lead is not None and lead.owned_by_group_id == group
    if action == "delete" and not (user.role == Role.MANAGER and owns):
        return "Only an administrator or a manager of the lead's owning group may delete it"
    return None


def can(actor: Actor, action: str, lead: m.Lead | None = None) -> bool:
    """Whether the actor may do ``action`` on ``lead`` (one it sees): what pages offer."""
    return refusal(actor, action, lead) is None


def permit(
    db: Session,
    actor: Actor,
    action: str,
    lead: m.Lead | None = None,
    values: Mapping[str, Any] | None = None,
) -> None:
    """Refuses ``action`` on ``lead`` unless the actor's role allows it (``refusal``); a
    lead the actor may not see is refused as missing, and a privacy level in ``values``
    must be within the actor's clearance."""
    user = actor.user
    if user.role == Role.ADMIN:
        return
    if lead is not None and lead.id is not None:
        seen = select(m.Lead.id).where(m.Lead.id == lead.id, visible(actor))
        if db.scalar(seen) is None:
            raise NotFound(f"No lead has number {lead.number!r}")
    reason = refusal(actor, action, lead)
    if reason is not None:
        raise PermissionDenied(reason)
    level = (values or {}).get("privacy_level")
    clearance = user.clearance
    reach = clearance.hierarchy_level if clearance is not None else None
    if level is not None and (reach is None or reach < level.hierarchy_level):
        raise PermissionDenied(
            f"privacy_level_identifier: privacy level {level.number} is above the clearance "
            f"of user {user.username}"
        )


def login_unit(user: m.User, unit: m.Unit | None) -> m.Unit | None:
    """Returns the unit a login of ``user`` acts in: ``unit`` when named and the user
    belongs to it (an administrator may name any), else the user's own unit."""
    if unit is None:
        return user.unit
    if user.role != Role.ADMIN and unit.id != user.unit_id:
        raise InvalidValue(
            f"{{field}}: user {user.username} does not belong to unit {unit.name!r}",
            field="unit",
        )
    return unit
