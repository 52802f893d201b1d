"""The breach job (the worker's, and ``leadbook workflow tick``): each lead newly in breach
of its first-response or rotting target (``sla``) becomes, once per breach, a feed event
and a notification to its assignee; a breach ``escalation_hours`` old is told, once, to the
managers of the lead's unit. Workers running it at once tell each one once: the notice's
key refuses the second."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

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


def _claim(db: Session, leads: list[m.Lead], kind: Breach, level: str) -> list[m.Lead]:
    """Records the notice of each of ``leads``' current breach in one statement and returns
    the leads whose notice it wrote: a notice there already (another worker's) is skipped."""
    if not leads:
        return []
    rows = [
        {"lead_id": lead.id, "kind": kind.value, "level": level, "since": sla.since(lead, kind)}
        for lead in leads
    ]
    notice = m.BreachNotice
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(notice).values(rows).on_conflict_do_nothing()
    written = set(db.scalars(stmt.returning(notice.lead_id)))
    return [lead for lead in leads if lead.id in written]


def managers(db: Session, unit_id: str | None) -> list[m.User]:
    """Returns the active managers of unit ``unit_id``."""
    if unit_id is None:
        return []
    user = m.User
    stmt = select(user).where(user.unit_id == unit_id, user.role == m.Role.MANAGER, user.is_active)
    return list(db.scalars(stmt.order_by(user.username)))


def _unit(lead: m.Lead) -> str | None:
    """The unit whose managers hear of the lead's escalation: its own, else its assignee's."""
    return lead.assigned_unit_id or (lead.assigned_user.unit_id if lead.assigned_user else None)


def _text(lead: m.Lead, kind: Breach, escalated: bool) -> str:
    what = "missed its first response" if kind is Breach.FIRST_RESPONSE else "is rotting"
    lead_name = f"Lead #{lead.number}" + (f" {lead.topic}" if lead.topic else "")
    prefix = "Escalated: " if escalated else ""
    return f"{prefix}{lead_name} {what} (status {lead.status.name})"


def run(db: Session) -> Tick:
    """Announces every new breach and escalation at the clock's now (at most ``BATCH`` per
    kind and level); returns how many. Each batch is a few statements: the leads, their
    notices, the notifications (the feed events are written at commit)."""
    now = clock.now()
    done = Tick()
    staff: dict[str | None, list[m.User]] = {}
    loaded = (joinedload(m.Lead.type), joinedload(m.Lead.status), joinedload(m.Lead.assigned_user))
    for escalated, level in ((False, "breach"), (True, "escalation")):
        rule = sla.check(db, now, escalated)
        for kind in Breach:
            stmt = select(m.Lead).where(rule.condition(kind), ~_noticed(kind, level))
            found = list(db.scalars(stmt.options(*loaded).limit(BATCH)))
            told: list[notify.Notice] = []
            for lead in _claim(db, found, kind, level):
                data = {"breach": kind.value, "since": sla.since(lead, kind).isoformat()}
                if escalated:
                    feed.publish(db, lead, None, ESCALATED, data)
                    unit = _unit(lead)
                    if unit not in staff:
                        staff[unit] = managers(db, unit)
                    text = _text(lead, kind, True)
                    told += [(manager, ESCALATED, text, lead) for manager in staff[unit]]
                    done.escalations += 1
                else:
                    feed.publish(db, lead, None, EVENTS[kind], data)
                    if lead.assigned_user is not None:
                        text = _text(lead, kind, False)
                        told.append((lead.assigned_user, EVENTS[kind], text, lead))
                    done.breaches += 1
            notify.notify_all(db, told)
    return done
