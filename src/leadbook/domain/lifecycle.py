"""The life cycle: PENDING → IN_PROGRESS → WON, with LOST and CANCELLED on the way.

| from \\ action | start_progress | win | lose | cancel | update |
|---|---|---|---|---|---|
| PENDING        | yes | no  | yes | yes | yes |
| IN_PROGRESS    | no  | yes | yes | yes | yes |
| WON, LOST, CANCELLED | no | no | no | no | no |

Each move takes an optional status of the target state; without one the lead type's
default status for the move is used, and without that the lead keeps its status.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import clock, events
from leadbook.domain.actor import Actor
from leadbook.domain.checks import check_status_of_type
from leadbook.domain.contacts import accounts_of, open_account
from leadbook.domain.errors import InvalidLifeCycleState, InvalidValue, MandatoryParameterMissing
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.domain.writes import flush, guarded, touch


@dataclass(frozen=True)
class Move:
    """One action of the life cycle: the states it leaves from and the state it reaches."""

    action: str
    sources: tuple[str, ...]
    target: str
    type_status: str  # the LeadType attribute holding the default status
    label: str


MOVES = {
    "start_progress": Move(
        "start_progress", ("PENDING",), "IN_PROGRESS", "start_status", "started"
    ),
    "win": Move("win", ("IN_PROGRESS",), "WON", "win_status", "won"),
    "lose": Move("lose", OPEN_STATES, "LOST", "lost_status", "lost"),
    "cancel": Move("cancel", OPEN_STATES, "CANCELLED", "cancel_status", "cancelled"),
}
STATE_NAMES = {
    "PENDING": "Pending",
    "IN_PROGRESS": "In Progress",
    "WON": "Won",
    "LOST": "Lost",
    "CANCELLED": "Cancelled",
}


def allowed_actions(lead: m.Lead) -> list[str]:
    """Returns the moves ``lead`` can make now, in pipeline order."""
    return [name for name, move in MOVES.items() if lead.life_cycle_state in move.sources]


@guarded
def start_progress(db: Session, actor: Actor, lead: m.Lead, status=None) -> m.Lead:
    """Moves a Pending lead to In Progress."""
    return _perform(db, actor, lead, MOVES["start_progress"], status)


@guarded
def win(db: Session, actor: Actor, lead: m.Lead, status=None, accounts_receivable=None):
    """Marks an In Progress lead Won; its contact becomes a customer.

    The lead's account is ``accounts_receivable`` when given (it must be the contact's),
    else the one it has, else the contact's only account, else a new one for the contact.
    """
    _check_from(lead, MOVES["win"])
    before = events.snapshot(lead)
    contact = lead.contact
    if accounts_receivable is not None:
        if accounts_receivable.owner is not contact:
            raise InvalidValue(
                f"Accounts receivable {accounts_receivable.number} is not owned by the "
                "lead's contact"
            )
        lead.accounts_receivable = accounts_receivable
    elif lead.accounts_receivable is None:
        owned = accounts_of(db, contact)
        if len(owned) > 1:
            raise MandatoryParameterMissing(
                "accounts_receivable is mandatory: the contact owns several accounts receivable"
            )
        lead.accounts_receivable = owned[0] if owned else open_account(db, contact)
    contact.life_cycle_state = "FINANCIAL"
    return _perform(db, actor, lead, MOVES["win"], status, before)


@guarded
def lose(db: Session, actor: Actor, lead: m.Lead, lost_reason: m.LostReason | None, status=None):
    """Marks a Pending or In Progress lead Lost, for ``lost_reason``."""
    _check_from(lead, MOVES["lose"])
    before = events.snapshot(lead)
    if lost_reason is None:
        raise MandatoryParameterMissing("lost_reason_identifier is mandatory to lose a lead")
    lead.lost_reason = lost_reason
    return _perform(db, actor, lead, MOVES["lose"], status, before)


@guarded
def cancel(db: Session, actor: Actor, lead: m.Lead, status=None) -> m.Lead:
    """Cancels a lead that is neither Won nor Lost (nor already Cancelled)."""
    return _perform(db, actor, lead, MOVES["cancel"], status)


def move_by_status(db: Session, lead: m.Lead, status: m.LeadStatus, *, lost_reason=None) -> None:
    """Moves an open lead to the state of ``status`` (the pre-R11.1 update). Leaving the
    pipeline by update sets the completion date; a lost status needs a lost reason."""
    check_status_of_type(lead.type, status)
    target = status.life_cycle_state
    if target == "LOST":
        if lost_reason is None:
            raise MandatoryParameterMissing(
                "lost_reason_identifier is mandatory to set a status classified as lost"
            )
        lead.lost_reason = lost_reason
    elif lost_reason is not None:
        raise InvalidValue("lost_reason_identifier applies only with a status classified as lost")
    if target == "WON" and lead.accounts_receivable is not None:
        lead.contact.life_cycle_state = "FINANCIAL"
    _enter(lead, status, target)


def _check_from(lead: m.Lead, move: Move) -> None:
    if lead.life_cycle_state not in move.sources:
        allowed = " or ".join(STATE_NAMES[s] for s in move.sources)
        raise InvalidLifeCycleState(
            f"Lead {lead.number} is {STATE_NAMES[lead.life_cycle_state]}; only {allowed} "
            f"leads can be {move.label}"
        )


def _perform(db: Session, actor: Actor, lead: m.Lead, move: Move, status, before=None):
    _check_from(lead, move)
    before = before or events.snapshot(lead)
    if status is not None:
        if status.life_cycle_state != move.target:
            raise InvalidValue(
                f"Status {status.name!r} is {status.life_cycle_state}, not {move.target}"
            )
        check_status_of_type(lead.type, status)
    else:
        status = getattr(lead.type, move.type_status) or _first_status(lead.type, move.target)
    _enter(lead, status or lead.status, move.target)
    touch(lead, actor)
    flush(db)
    events.record(db, lead, actor, move.action, before)
    flush(db)
    return lead


def _first_status(lead_type: m.LeadType, state: str) -> m.LeadStatus | None:
    candidates = [s for s in lead_type.statuses if s.life_cycle_state == state]
    return min(candidates, key=lambda s: s.name) if candidates else None


def _enter(lead: m.Lead, status: m.LeadStatus, state: str) -> None:
    lead.status = status
    lead.life_cycle_state = state
    if state in ("WON", "LOST"):
        lead.actual_completion_date = clock.now()
