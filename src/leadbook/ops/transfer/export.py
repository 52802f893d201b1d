"""Export: every lead as a row of the columns, streamed as CSV or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO

from sqlalchemy.orm import Session, selectinload

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.ops.transfer.columns import COLUMNS, SOURCE_REFERENCES

BATCH = 200  # leads read per query


def _when(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def row_of(lead: m.Lead) -> dict[str, str]:
    """Returns the export row of ``lead``."""
    contact = lead.contact
    return {
        "number": str(lead.number),
        "type": lead.type.name,
        "status": lead.status.name,
        "life_cycle_state": lead.life_cycle_state,
        "category": lead.category.name if lead.category else "",
        "importance": lead.importance,
        "priority": str(lead.priority),
        "probability_to_win": _number(lead.probability_to_win),
        "target_amount": _number(lead.target_amount),
        "topic": lead.topic or "",
        "description": lead.description or "",
        "contact_email": lead.contact_email or "",
        "contact_phone": lead.contact_phone or "",
        "start_date": _when(lead.start_date),
        "expected_completion_date": _when(lead.expected_completion_date),
        "estimated_time_value": _number(lead.estimated_time_value),
        "estimated_time_unit": lead.estimated_time_uot or "",
        "contact_number": contact.number or "",
        "contact_type": contact.type,
        "contact_first_name": contact.first_name or "",
        "contact_last_name": contact.last_name or "",
        "contact_company_name": contact.company_name or "",
        "contact_id_number": contact.id_number or "",
        "source_type": lead.source_type,
        "source_name": lead.source_name or "",
        "source_reference": _source_reference(lead),
        "assigned_user": lead.assigned_user.username if lead.assigned_user else "",
        "group": lead.owned_by_group.name if lead.owned_by_group else "",
        "lost_reason": lead.lost_reason.name if lead.lost_reason else "",
    }


EXPORT_RELATIONS = (
    "type",
    "status",
    "category",
    "contact",
    "assigned_user",
    "owned_by_group",
    "lost_reason",
    "source_communication",
    "source_notification",
    "source_contact",
    "source_user",
)


def count_leads(db: Session, actor: Actor) -> int:
    """Returns how many leads ``actor`` sees."""
    return queries.count(db, actor, LeadFilter())


def export_rows(db: Session, actor: Actor) -> Iterator[dict[str, str]]:
    """Yields the row of every lead ``actor`` sees, by number, reading in batches."""
    last = 0
    leads = queries.seen(actor)  # built once: each batch's rows leave the session
    while True:
        batch = db.scalars(
            leads.where(m.Lead.number > last)
            .order_by(m.Lead.number)
            .limit(BATCH)
            .options(*(selectinload(getattr(m.Lead, name)) for name in EXPORT_RELATIONS))
        ).all()
        if not batch:
            return
        for lead in batch:
            yield row_of(lead)
        last = batch[-1].number
        db.expunge_all()


def write_csv(rows: Iterable[dict[str, str]], out: IO[str]) -> int:
    """Writes ``rows`` as CSV with a header; returns how many."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_json(rows: Iterable[dict[str, str]], out: IO[str]) -> int:
    """Writes ``rows`` as a JSON array, one row a line; returns how many."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def _source_reference(lead: m.Lead) -> str:
    kind = SOURCE_REFERENCES.get(lead.source_type)
    if kind is None:
        return ""
    row = {
        "communication": lead.source_communication,
        "notification": lead.source_notification,
        "contact": lead.source_contact,
        "user": lead.source_user,
    }[kind[0]]
    return getattr(row, kind[1]) if row is not None else ""
