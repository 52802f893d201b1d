"""The breach job (the worker's, and ``leadbook workflow tick``): each lead newly in breach
of its first-response or rotting target (``sla``) becomes, once per breach, a feed event
and a notification to its assignee; a breach ``escalation_hours`` old is told, once, to the
managers of the lead's unit. Workers running it at once tell each one once: the notice's
key refuses the second."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import clock, feed
from leadbook.domain.workflow import notify, sla
from leadbook.domain.workflow.sla import Breach

BATCH = 500
EVENTS = {Breach.FIRST_RESPONSE: "lead.first_response_breached", Breach.ROTTING: "lead.rotting"}
ESCALATED = "lead.breach_escalated"


@dataclass
class Tick:
    """What one run did."""

    breaches: int = 0
    escalations: int = 0


def _noticed(kind: Breach, level: str):
    """The condition of a lead whose current breach (its clock's start: ``sla.since``) was
    announced at ``level`` already."""
    notice, lead = m.BreachNotice, m.Lead
    started = [notice.since >= lead.created_date]
    if kind is Breach.ROTTING:
        started = [
            notice.since >= lead.updated_date,
            or_(lead.last_activity_at.is_(None), notice.since >= lead.last_activity_at),
        ]
    same = [notice.lead_id == lead.id, notice.kind == kind.value, notice.level == level]
    return select(notice.lead_id).where(*same, *started).exists()


def _claim(db: Session, lead: m.Lead, kind: Breach, level: str) -> bool:
    since = sla.since(lead, kind)
    if db.get(m.BreachNotice, (lead.id, kind.value, level, since)) is not None:
        return False
    try:
        with db.begin_nested():
            db.add(m.BreachNotice(lead_id=lead.id, kind=kind.value, level=level, since=since))
    except IntegrityError:
        return False
    return True


def managers(db: Session, lead: m.Lead) -> list[m.User]:
    """Returns the active managers of the lead's unit (else of its assignee's unit)."""
    unit_id = lead.assigned_unit_id or (lead.assigned_user.unit_id if lead.assigned_user else None)
    if unit_id is None:
        return []
    user = m.User
    stmt = select(user).where(user.unit_id == unit_id, user.role == m.Role.MANAGER, user.is_active)
    return list(db.scalars(stmt.order_by(user.username)))


def _text(lead: m.Lead, kind: Breach, escalated: bool) -> str:
    what = "missed its first response" if kind is Breach.FIRST_RESPONSE else "is rotting"
    lead_name = f"Lead #{lead.number}" + (f" {lead.topic}" if lead.topic else "")
    prefix = "Escalated: " if escalated else ""
    return f"{prefix}{lead_name} {what} (status {lead.status.name})"


def run(db: Session) -> Tick:
    """Announces every new breach and escalation at the clock's now; returns how many."""
    now = clock.now()
    done = Tick()
    for escalated, level in ((False, "breach"), (True, "escalation")):
        rule = sla.check(db, now, escalated)
        for kind in Breach:
            stmt = select(m.Lead).where(rule.condition(kind), ~_noticed(kind, level))
            for lead in db.scalars(stmt.limit(BATCH)).all():
                if not _claim(db, lead, kind, level):
                    continue
                data = {"breach": kind.value, "since": sla.since(lead, kind).isoformat()}
                if escalated:
                    feed.publish(db, lead, None, ESCALATED, data)
                    for manager in managers(db, lead):
                        notify.notify(db, manager, ESCALATED, _text(lead, kind, True), lead)
                    done.escalations += 1
                else:
                    feed.publish(db, lead, None, EVENTS[kind], data)
                    if lead.assigned_user is not None:
                        text = _text(lead, kind, False)
                        notify.notify(db, lead.assigned_user, EVENTS[kind], text, lead)
                    done.breaches += 1
    return done
