"""Import: each row a lead, through the domain, in its own savepoint; duplicates refused
(the domain's duplicate check, policy refuse, unless --allow-duplicates)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from leadbook import models as m
from leadbook.domain import identifiers, leads, lifecycle, values, vocabulary
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges
from leadbook.domain.contacts import NewContact
from leadbook.domain.duplicates import DuplicateContact, OnDuplicate
from leadbook.domain.errors import DomainError, InvalidValue
from leadbook.ops.transfer import cells
from leadbook.ops.transfer.columns import COLUMNS, FIELD_COLUMNS, column_of

BATCH = 200  # rows per commit: short enough that the lead counter's lock is held briefly


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
        # the lead numbers of earlier rows (a digest each: a few dozen bytes a row)
        self.seen: set[bytes] = set()
        # reference rows resolved in the current batch, by (kind, field, value)
        self.cache: dict[tuple[str, str, str], Any] = {}
        self.actor: Actor  # the --user, found again at each batch's start

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
        value = cells.get(row, column)
        if not value:
            raise InvalidValue("{field} is mandatory", field=column)
        return self._resolve(db, kind, "name", value, column)

    def _one(self, db: Session, line: int, row: dict[str, str], outcome: Outcome) -> None:
        """Imports one row in its own savepoint: a refused row, by a rule or by the
        database, leaves the rows before and after it alone."""
        try:
            with db.begin_nested():
                _check_cells(row)
                duplicate = self._duplicate(db, row)
                if duplicate and not self.allow_duplicates:
                    self._skip(outcome, Problem(line, *duplicate))
                    return
                self._create(db, row)
            self._remember(row)
            outcome.created += 1
        except DuplicateContact as exc:
            self._skip(outcome, Problem(line, column_of(exc), exc.worded(FIELD_COLUMNS)))
        except DomainError as exc:
            outcome.refused += 1
            message = exc.worded(FIELD_COLUMNS)
            self._problem(outcome, Problem(line, column_of(exc), message))
        except DBAPIError as exc:
            outcome.refused += 1
            reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
            self._problem(outcome, Problem(line, "", f"the database refused the row: {reason}"))

    def _skip(self, outcome: Outcome, problem: Problem) -> None:
        outcome.duplicates += 1
        problem.message = f"duplicate: {problem.message}"
        self._problem(outcome, problem)

    def _problem(self, outcome: Outcome, problem: Problem) -> None:
        if len(outcome.problems) < 1000:
            outcome.problems.append(problem)
        self.report(problem)

    def _remember(self, row: dict[str, str]) -> None:
        number = cells.get(row, "number")
        if number:
            self.seen.add(cells.digest("number", number))

    def _duplicate(self, db: Session, row: dict[str, str]) -> tuple[str, str] | None:
        """A lead number given twice or already stored (a duplicate person is the
        domain's duplicate check's, see duplicates.py)."""
        number = cells.get(row, "number")
        if number and cells.digest("number", number) in self.seen:
            return "number", f"number {number!r} is on an earlier row"
        if re.fullmatch(r"[0-9]{1,9}", number) and db.scalar(
            select(m.Lead.id).where(m.Lead.number == int(number))
        ):
            return "number", f"lead {number} exists"
        return None

    def _create(self, db: Session, row: dict[str, str]) -> None:
        actor = self.actor
        values: dict[str, Any] = {
            "type": self._named(db, "lead_type", row, "type"),
            "importance": cells.get(row, "importance").upper() or None,
            "priority": cells.whole(row, "priority"),
            "contact": self._contact(db, row),
        }
        for column in ("topic", "description", "contact_email", "contact_phone"):
            if cells.get(row, column):
                values[column] = cells.get(row, column)
        for column in ("probability_to_win", "target_amount"):
            if cells.get(row, column):
                values[column] = cells.number(row, column)
        for column in ("start_date", "expected_completion_date"):
            if cells.get(row, column):
                values[column] = cells.date(row, column)
        for column, kind, attr in (
            ("status", "lead_status", "status"),
            ("category", "lead_category", "category"),
            ("group", "group", "owned_by_group"),
        ):
            if cells.get(row, column):
                values[attr] = self._named(db, kind, row, column)
        if cells.get(row, "assigned_user"):
            values["assigned_user"] = self._resolve(
                db, "user", "username", cells.get(row, "assigned_user"), "assigned_user"
            )
        state = _state(cells.get(row, "life_cycle_state"))
        status = values.get("status")
        if status is not None and status.life_cycle_state != state:
            raise InvalidValue(f"{{field}} {status.name!r} is not a {state} status", field="status")
        if status is not None and state not in vocabulary.OPEN_STATES:
            values.pop("status")  # a closed status is reached by the moves below
        changes = LeadChanges(values=values, source=cells.source_of(db, row))
        estimate = cells.estimate(row)
        if estimate is not None:
            changes.estimated_completion_time, changes.estimated_given = estimate, True
        number = cells.whole(row, "number") if cells.get(row, "number") else None
        lead = leads.create(db, actor, changes, number=number)
        self._reach(db, actor, lead, state, status, row)

    def _reach(self, db, actor, lead, state, status, row) -> None:
        """Moves a new lead to the row's life cycle state by the usual moves (a won lead
        is worked on first)."""
        if state == lead.life_cycle_state:
            return
        if state == m.LifeCycleState.WON:
            lifecycle.move_to(db, actor, lead, m.LifeCycleState.IN_PROGRESS)
        reason = None
        if state == m.LifeCycleState.LOST:
            reason = self._named(db, "lost_reason", row, "lost_reason")
        lifecycle.move_to(db, actor, lead, status or state, lost_reason=reason)

    def _contact(self, db: Session, row: dict[str, str]) -> m.Contact | NewContact:
        number = cells.get(row, "contact_number")
        if number:
            found = db.scalar(select(m.Contact).where(m.Contact.number == number))
            if found is not None:
                return found
        kind = cells.get(row, "contact_type").upper() or (
            "COMPANY" if cells.get(row, "contact_company_name") else "PERSON"
        )
        values = {
            "first_name": cells.get(row, "contact_first_name"),
            "last_name": cells.get(row, "contact_last_name"),
            "company_name": cells.get(row, "contact_company_name"),
            "id_number": cells.get(row, "contact_id_number"),
            "email": cells.get(row, "contact_email"),
            "phone": cells.get(row, "contact_phone"),
        }
        if kind == "COMPANY":
            for person_only in ("first_name", "last_name", "id_number"):
                values.pop(person_only)
        on_duplicate = None if self.allow_duplicates else OnDuplicate.REFUSE
        return NewContact(
            type=kind, values={k: v for k, v in values.items() if v}, on_duplicate=on_duplicate
        )


def _state(text: str) -> m.LifeCycleState:
    """Returns the life cycle state a cell names (Pending when empty)."""
    try:
        return m.LifeCycleState(text.upper() or m.LifeCycleState.PENDING)
    except ValueError:
        raise InvalidValue(
            f"{{field}} {text!r} is not a life cycle state", field="life_cycle_state"
        ) from None


def _check_cells(row: Mapping[str, str | None]) -> None:
    """Refuses a row with an unknown column or a cell no text column can hold."""
    unknown = set(row) - set(COLUMNS) - {None}
    if unknown:
        raise InvalidValue(f"unknown column(s): {', '.join(sorted(unknown))}")
    for column, cell in row.items():
        if column is not None and isinstance(cell, str):
            values.text(cell, column)
