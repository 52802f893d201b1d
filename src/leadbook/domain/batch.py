"""One change applied to many leads (the list's bulk actions), lead by lead: each lead
goes through the same domain function as a single change, in a savepoint of its own, so
a refused lead changes nothing while the others are changed; the outcome says which."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import DomainError, InvalidValue, NotFound

MAX_LEADS = 500  # leads one bulk action may name


@dataclass
class Outcome:
    """The numbers of the leads changed, and each refused lead's number and refusal."""

    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, DomainError]] = field(default_factory=list)


def leads_of(db: Session, actor: Actor, numbers: Iterable[int]) -> tuple[list[m.Lead], Outcome]:
    """Returns the leads numbered ``numbers`` that ``actor`` sees, by number, and an
    outcome refusing each other number as missing. Refuses none or over MAX_LEADS."""
    wanted = sorted(set(numbers))
    if not wanted:
        raise InvalidValue("Choose at least one lead", field="numbers")
    if len(wanted) > MAX_LEADS:
        raise InvalidValue(f"Choose at most {MAX_LEADS} leads at once", field="numbers")
    found = {lead.number: lead for lead in queries.by_numbers(db, actor, wanted)}
    outcome = Outcome()
    for number in wanted:
        if number not in found:
            outcome.refused.append((number, NotFound(f"There is no lead number {number}")))
    return [found[n] for n in wanted if n in found], outcome


def each(
    db: Session, leads: list[m.Lead], change: Callable[[m.Lead], object], outcome: Outcome
) -> Outcome:
    """Applies ``change`` (a domain write) to each of ``leads`` in a savepoint of its own:
    a refusal rolls back that lead's change only and is noted in ``outcome``."""
    for lead in leads:
        number = lead.number
        try:
            with db.begin_nested():
                change(lead)
        except DomainError as exc:
            outcome.refused.append((number, exc))
        else:
            outcome.done.append(number)
    outcome.refused.sort(key=lambda item: item[0])
    return outcome
