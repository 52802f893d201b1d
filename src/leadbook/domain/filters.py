"""The one filter shape of every face (``LeadFilter``) and the SQL narrowing a statement
over ``leads`` to the live leads an actor sees meeting it (``narrowed``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam

from leadbook import models as m
from leadbook.domain import access, due, search
from leadbook.domain.actor import Actor
from leadbook.domain.workflow import activities, sla

LIVE = m.Lead.merged_into_id.is_(None)  # not merged into another lead


@dataclass
class LeadFilter:
    """Conditions a lead must all meet; None means "any"."""

    states: tuple[str, ...] | None = None
    contact: m.Contact | None = None
    accounts_receivable: m.AccountsReceivable | None = None
    type: m.LeadType | None = None
    category: m.LeadCategory | None = None
    status: m.LeadStatus | None = None
    source_type: str | None = None
    source_name: str | None = None
    importance: str | None = None
    priority: int | None = None
    assigned_user: m.User | None = None
    overdue_at: datetime | None = None  # overdue at this time (due.is_overdue)
    due_between: tuple[datetime, datetime] | None = None  # expected completion in [a, b]
    text: str | None = None  # the text search rule (search.py)
    no_next_activity: bool = False  # no open activity
    next_activity_overdue_at: datetime | None = None  # next activity due before this time
    breached: sla.Check | None = None  # in breach of this rule (docs/workflow.md)...
    breach_kinds: tuple[sla.Breach, ...] = tuple(sla.Breach)  # ...of one of these kinds
    created_from: datetime | None = None  # created at or after
    created_before: datetime | None = None
    expected_from: datetime | None = None  # expected completion at or after
    expected_before: datetime | None = None
    amount_min: float | None = None  # target amount at least
    amount_max: float | None = None  # target amount at most


def narrowed(stmt: Select, actor: Actor | access.Viewer, f: LeadFilter) -> Select:
    """Returns ``stmt`` (over ``leads``) narrowed to the live leads ``actor`` sees meeting
    ``f``."""
    lead = m.Lead
    stmt = stmt.where(access.visible(actor), LIVE)
    if f.states is not None:
        stmt = stmt.where(lead.life_cycle_state.in_(f.states))
    for attr, value in (
        ("contact_id", f.contact),
        ("accounts_receivable_id", f.accounts_receivable),
        ("type_id", f.type),
        ("category_id", f.category),
        ("status_id", f.status),
        ("assigned_user_id", f.assigned_user),
    ):
        if value is not None:
            stmt = stmt.where(getattr(lead, attr) == value.id)
    if f.source_type is not None:
        stmt = stmt.where(lead.source_type == f.source_type)
    if f.source_name is not None:
        stmt = stmt.where(lead.source_name == f.source_name)
    if f.importance is not None:
        stmt = stmt.where(lead.importance == f.importance)
    if f.priority is not None:
        stmt = stmt.where(lead.priority == f.priority)
    if f.overdue_at is not None:
        stmt = stmt.where(due.overdue_condition(f.overdue_at))
    if f.due_between is not None:
        low, high = f.due_between
        stmt = stmt.where(lead.expected_completion_date.between(low, high))
    ranges: tuple[tuple[Any, Any, Any, bool], ...] = (
        (lead.created_date, f.created_from, f.created_before, True),
        (lead.expected_completion_date, f.expected_from, f.expected_before, True),
        (lead.target_amount, f.amount_min, f.amount_max, False),
    )
    for column, low, high, below in ranges:
        if low is not None:
            stmt = stmt.where(column >= _written(column, low))
        if high is not None:
            top = _written(column, high)
            stmt = stmt.where(column < top if below else column <= top)
    if f.no_next_activity:
        stmt = stmt.where(activities.none_open_condition())
    if f.next_activity_overdue_at is not None:
        stmt = stmt.where(activities.next_overdue_condition(f.next_activity_overdue_at))
    if f.breached is not None:
        stmt = stmt.where(f.breached.any_condition(f.breach_kinds))
    matches = search.condition(f.text)
    if matches is not None:
        stmt = stmt.where(matches)
    return stmt


def _written(column: Any, value: Any) -> Any:
    """``value`` (a moment or an amount: never text) written into the statement, so the
    statement is planned for it: a generic plan guesses any range as a few rows."""
    return bindparam(None, value, type_=column.type, literal_execute=True)
