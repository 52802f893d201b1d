"""Leads in and out as CSV or JSON, streamed: neither direction holds all rows in memory.

Export writes one row per lead with the columns below; import reads the same columns, so
an export imports back. Each imported row goes through the domain (the same rules as the
APIs) inside its own savepoint: a refused row is reported and leaves nothing behind.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from leadbook import models as m
from leadbook.domain import identifiers, leads, lifecycle, vocabulary
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.contacts import NewContact, create_contact
from leadbook.domain.errors import DomainError, InvalidValue

COLUMNS = (
    "number",
    "type",
    "status",
    "life_cycle_state",
    "category",
    "importance",
    "priority",
    "probability_to_win",
    "target_amount",
    "topic",
    "description",
    "contact_email",
    "contact_phone",
    "start_date",
    "expected_completion_date",
    "estimated_time_value",
    "estimated_time_unit",
    "contact_number",
    "contact_type",
    "contact_first_name",
    "contact_last_name",
    "contact_company_name",
    "contact_id_number",
    "source_type",
    "source_name",
    "source_reference",
    "assigned_user",
    "group",
    "lost_reason",
)
BATCH = 200  # rows per commit: short enough that the lead counter's lock is held briefly


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


def count_leads(db: Session) -> int:
    return db.scalar(select(func.count(m.Lead.id)))


def export_rows(db: Session) -> Iterator[dict[str, str]]:
    """Yields every lead's row by number, reading in batches."""
    last = 0
    while True:
        batch = db.scalars(
            select(m.Lead)
            .where(m.Lead.number > last)
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
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_json(rows: Iterable[dict[str, str]], out: IO[str]) -> int:
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


@dataclass
class Problem:
    """One refused row: its line in the file, the column at fault (if known), why."""

    line: int
    column: str
    message: str


@dataclass
class Outcome:
    created: int = 0
    duplicates: int = 0
    refused: int = 0
    problems: list[Problem] = field(default_factory=list)  # only the first 1000 are kept


class Importer:
    """Imports rows into leads as ``username``; ``report`` receives every problem."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        username: str,
        *,
        dry_run: bool = False,
        allow_duplicates: bool = False,
        report: Callable[[Problem], None] | None = None,
    ) -> None:
        self.factory = factory
        self.username = username
        self.dry_run = dry_run
        self.allow_duplicates = allow_duplicates
        self.report = report or (lambda problem: None)
        # the duplicate keys of earlier rows (a digest each: a few dozen bytes a row, never
        # the row) → the contact number those rows named
        self.seen: dict[bytes, str] = {}
        # reference rows resolved in the current batch, by (kind, field, value)
        self.cache: dict[tuple[str, str, str], Any] = {}
        self.actor: Actor | None = None

    def run(self, rows: Iterable[dict[str, str]], progress: Callable[[], None] = lambda: None):
        """Imports ``rows`` (streamed), committing every BATCH rows unless a dry run.

        Raises a DomainError before reading any row when the user does not exist. A
        ``csv.DictReader`` gives each problem the file line its record starts on.
        """
        outcome = Outcome()
        db = self.factory()
        try:
            self._start_batch(db)
            line = 1  # the header
            for done, row in enumerate(rows, start=1):
                line = line + 1
                self._one(db, line, row, outcome)
                line = getattr(rows, "line_num", line)  # a record may span lines
                progress()
                if done % BATCH == 0:
                    self._end_batch(db)
                    self._start_batch(db)
            self._end_batch(db)
        finally:
            db.rollback()
            db.close()
        return outcome

    def _start_batch(self, db: Session) -> None:
        user = identifiers.resolve(db, "user", {"username": self.username}, param="--user")
        self.actor = Actor(user=user, unit=user.unit, via="import")

    def _end_batch(self, db: Session) -> None:
        db.rollback() if self.dry_run else db.commit()
        db.expunge_all()
        self.cache.clear()

    def _resolve(self, db: Session, kind: str, field: str, value: str, param: str):
        key = (kind, field, value)
        if key not in self.cache:
            self.cache[key] = identifiers.resolve(db, kind, {field: value}, param=param)
        return self.cache[key]

    def _named(self, db: Session, kind: str, row: dict[str, str], column: str):
        value = _get(row, column)
        if not value:
            raise InvalidValue(f"{column} is mandatory")
        return self._resolve(db, kind, "name", value, column)

    def _one(self, db: Session, line: int, row: dict[str, str], outcome: Outcome) -> None:
        try:
            unknown = set(row) - set(COLUMNS) - {None}
            if unknown:
                raise InvalidValue(f"unknown column(s): {', '.join(sorted(unknown))}")
            duplicate = self._duplicate(db, row)
            if duplicate and not self.allow_duplicates:
                outcome.duplicates += 1
                self._problem(outcome, Problem(line, duplicate[0], f"duplicate: {duplicate[1]}"))
                return
            with db.begin_nested():
                self._create(db, row)
            self._remember(row)
            outcome.created += 1
        except DomainError as exc:
            outcome.refused += 1
            self._problem(outcome, Problem(line, _column_of(exc.message), exc.message))

    def _problem(self, outcome: Outcome, problem: Problem) -> None:
        if len(outcome.problems) < 1000:
            outcome.problems.append(problem)
        self.report(problem)

    def _keys(self, row: dict[str, str]) -> list[tuple[str, str]]:
        keys = [("number", _get(row, "number"))]
        keys += [(c, _get(row, c).lower()) for c in ("contact_email", "contact_phone")]
        keys.append(("contact_id_number", _get(row, "contact_id_number")))
        return [(k, v) for k, v in keys if v]

    def _remember(self, row: dict[str, str]) -> None:
        contact_number = sys.intern(_get(row, "contact_number"))
        for column, value in self._keys(row):
            self.seen.setdefault(_digest(column, value), contact_number)

    def _duplicate(self, db: Session, row: dict[str, str]) -> tuple[str, str] | None:
        contact_number = _get(row, "contact_number")
        for column, value in self._keys(row):
            earlier = self.seen.get(_digest(column, value))
            if earlier is not None and (
                column == "number" or not contact_number or earlier != contact_number
            ):
                return column, f"{column} {value!r} is on an earlier row"
        number = _get(row, "number")
        if re.fullmatch(r"[0-9]{1,9}", number) and db.scalar(
            select(m.Lead.id).where(m.Lead.number == int(number))
        ):
            return "number", f"lead {number} exists"
        email, phone = _get(row, "contact_email"), _get(row, "contact_phone")
        id_number = _get(row, "contact_id_number")
        checks = []
        if email:
            checks += [m.Contact.email.in_(_spellings(email))]
        if phone:
            checks += [m.Contact.phone == phone]
        if id_number:
            checks += [m.Contact.id_number == id_number]
        contact_given = bool(_get(row, "contact_number"))
        if (
            checks
            and not contact_given
            and db.scalar(select(m.Contact.number).where(or_(*checks)).limit(1))
        ):
            return "contact", "a contact with this email, phone or id number exists"
        lead_checks = []
        if contact_given:
            return None  # more leads of a contact named by number are not duplicates
        if email:
            lead_checks.append(m.Lead.contact_email.in_(_spellings(email)))
        if phone:
            lead_checks.append(m.Lead.contact_phone == phone)
        if lead_checks:
            found = db.scalar(select(m.Lead.number).where(or_(*lead_checks)).limit(1))
            if found:
                return "contact_email", f"lead {found} has the same contact email or phone"
        return None

    def _create(self, db: Session, row: dict[str, str]) -> None:
        actor = self.actor
        values: dict[str, Any] = {
            "type": self._named(db, "lead_type", row, "type"),
            "importance": _get(row, "importance").upper() or None,
            "priority": _int(row, "priority"),
            "contact": self._contact(db, row),
        }
        for column in ("topic", "description", "contact_email", "contact_phone"):
            if _get(row, column):
                values[column] = _get(row, column)
        for column in ("probability_to_win", "target_amount"):
            if _get(row, column):
                values[column] = _float(row, column)
        for column in ("start_date", "expected_completion_date"):
            if _get(row, column):
                values[column] = _date(row, column)
        for column, kind, attr in (
            ("status", "lead_status", "status"),
            ("category", "lead_category", "category"),
            ("group", "group", "owned_by_group"),
        ):
            if _get(row, column):
                values[attr] = self._named(db, kind, row, column)
        if _get(row, "assigned_user"):
            values["assigned_user"] = self._resolve(
                db, "user", "username", _get(row, "assigned_user"), "assigned_user"
            )
        state = _get(row, "life_cycle_state").upper() or "PENDING"
        status = values.get("status")
        if status is not None and status.life_cycle_state != state:
            raise InvalidValue(f"status {status.name!r} is not a {state} status")
        if status is not None and state not in vocabulary.OPEN_STATES:
            values.pop("status")  # a closed status is reached by the moves below
        changes = LeadChanges(values=values, source=_source(db, row))
        estimate = _estimate(row)
        if estimate is not None:
            changes.estimated_completion_time, changes.estimated_given = estimate, True
        number = _int(row, "number") if _get(row, "number") else None
        lead = leads.create(db, actor, changes, number=number)
        self._reach(db, actor, lead, state, status, row)

    def _reach(self, db, actor, lead, state, status, row) -> None:
        """Moves a new lead to the row's life cycle state by the usual moves."""
        final = status if status is not None and status.life_cycle_state == state else None
        if state in ("IN_PROGRESS", "WON") and lead.life_cycle_state == "PENDING":
            lifecycle.start_progress(db, actor, lead, final if state == "IN_PROGRESS" else None)
        if state == "WON":
            lifecycle.win(db, actor, lead, final)
        elif state == "LOST":
            reason = self._named(db, "lost_reason", row, "lost_reason")
            lifecycle.lose(db, actor, lead, reason, final)
        elif state == "CANCELLED":
            lifecycle.cancel(db, actor, lead, final)
        elif state not in ("PENDING", "IN_PROGRESS"):
            raise InvalidValue(f"life_cycle_state {state!r} is not a life cycle state")

    def _contact(self, db: Session, row: dict[str, str]) -> m.Contact:
        number = _get(row, "contact_number")
        if number:
            found = db.scalar(select(m.Contact).where(m.Contact.number == number))
            if found is not None:
                return found
        kind = _get(row, "contact_type").upper() or (
            "COMPANY" if _get(row, "contact_company_name") else "PERSON"
        )
        values = {
            "first_name": _get(row, "contact_first_name"),
            "last_name": _get(row, "contact_last_name"),
            "company_name": _get(row, "contact_company_name"),
            "id_number": _get(row, "contact_id_number"),
            "email": _get(row, "contact_email"),
            "phone": _get(row, "contact_phone"),
        }
        if kind == "COMPANY":
            for person_only in ("first_name", "last_name", "id_number"):
                values.pop(person_only)
        return create_contact(
            db, NewContact(type=kind, values={k: v for k, v in values.items() if v})
        )


# the reference each source type needs, and how a row names it
SOURCE_REFERENCES = {
    "COMMUNICATIONS": ("communication", "number"),
    "NOTIFICATIONS": ("notification", "number"),
    "RECOMMENDED_BY_CONTACT": ("contact", "number"),
    "RECOMMENDED_BY_PARTNER": ("contact", "number"),
    "RECOMMENDED_BY_EMPLOYEE": ("user", "username"),
}


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


def _source(db: Session, row: dict[str, str]) -> Source:
    kind = vocabulary.canonical_source_type(_get(row, "source_type") or "OTHER")
    source = Source(type=kind, name=_get(row, "source_name") or None)
    if kind in vocabulary.NAMED_SOURCES:
        source.name = source.name or "import"
    reference = SOURCE_REFERENCES.get(kind)
    if reference and _get(row, "source_reference"):
        entity, key = reference
        found = identifiers.resolve(
            db, entity, {key: _get(row, "source_reference")}, param="source_reference"
        )
        setattr(source, entity, found)
    return source


def _get(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def _digest(column: str, value: str) -> bytes:
    return hashlib.blake2b(f"{column}\0{value}".encode(), digest_size=12).digest()


def _spellings(email: str) -> list[str]:
    """The spellings of ``email`` looked up: as given and lower-cased (an equality the
    column's index answers; lower() on the column would read the whole table per row)."""
    return sorted({email, email.lower()})


def _estimate(row: dict[str, str]) -> tuple[float, str] | None:
    value, unit = _get(row, "estimated_time_value"), _get(row, "estimated_time_unit")
    if not value and not unit:
        return None
    if not value or not unit:
        raise InvalidValue("estimated_time_value and estimated_time_unit go together")
    number = _float(row, "estimated_time_value")
    return (int(number) if number.is_integer() else number), unit.upper()


def _int(row: dict[str, str], column: str) -> int | None:
    value = _get(row, column)
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise InvalidValue(f"{column} must be a whole number, not {value!r}")
    return int(value)


def _float(row: dict[str, str], column: str) -> float:
    try:
        return float(_get(row, column))
    except ValueError:
        raise InvalidValue(f"{column} must be a number, not {_get(row, column)!r}") from None


def _date(row: dict[str, str], column: str) -> datetime:
    try:
        return datetime.fromisoformat(_get(row, column)).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise InvalidValue(f"{column} must be a date like 2026-01-31T09:00:00") from None


def _column_of(message: str) -> str:
    """Names the column a domain message is about: the one it starts with, or names last
    in parentheses (identifier errors end with "(column)")."""
    if message.endswith(")") and "(" in message:
        named = message.rsplit("(", 1)[1].rstrip(")")
        if named in COLUMNS:
            return named
    first = message.split(" ", 1)[0].strip(":,.")
    for column in COLUMNS:
        if first == column or message.startswith(column):
            return column
    return ""
