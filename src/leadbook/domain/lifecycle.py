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
from leadbook.domain import access, clock, events
from leadbook.domain.actor import Actor
from leadbook.domain.checks import check_status_of_type
from leadbook.domain.contacts import accounts_of, open_account
from leadbook.domain.errors import InvalidLifeCycleState, InvalidValue, MandatoryParameterMissing
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.domain.writes import flush, guarded, touch
from leadbook.models import LifeCycleState


@dataclass(frozen=True)
class Move:
    """One action of the life cycle: the states it leaves from and the state it reaches."""

    action: str
    sources: tuple[str, ...]
    target: LifeCycleState
    type_status: str  # the LeadType attribute holding the default status
    label: str


MOVES = {
    "start_progress": Move(
        "start_progress",
        (LifeCycleState.PENDING,),
        LifeCycleState.IN_PROGRESS,
        "start_status",
        "started",
    ),
    "win": Move("win", (LifeCycleState.IN_PROGRESS,), LifeCycleState.WON, "win_status", "won"),
    "lose": Move("lose", OPEN_STATES, LifeCycleState.LOST, "lost_status", "lost"),
    "cancel": Move("cancel", OPEN_STATES, LifeCycleState.CANCELLED, "cancel_status", "cancelled"),
}
_BY_TARGET = {move.target: move for move in MOVES.values()}


@dataclass(frozen=True)
class NewAccount:
    """An account receivable to open for the lead's contact when the lead is won."""

    name: str | None = None
    description: str | None = None


def allowed_actions(actor: Actor, lead: m.Lead) -> list[str]:
    """Returns the moves ``lead`` can make now that ``actor`` may make, in pipeline order."""
    return [
        name
        for name, move in MOVES.items()
        if lead.life_cycle_state in move.sources and access.can(actor, name, lead)
    ]


@guarded
def start_progress(db: Session, actor: Actor, lead: m.Lead, status=None) -> m.Lead:
    """Moves a Pending lead to In Progress."""
    access.permit(db, actor, "start_progress", lead)
    return _perform(db, actor, lead, MOVES["start_progress"], status)


@guarded
def win(
    db: Session,
    actor: Actor,
    lead: m.Lead,
    status: m.LeadStatus | None = None,
    accounts_receivable: m.AccountsReceivable | None = None,
    new_account: NewAccount | None = None,
) -> m.Lead:
    """Marks an In Progress lead Won; its contact becomes a customer.

    The lead's account is ``accounts_receivable`` when given (it must be the contact's),
    else ``new_account`` opened for the contact, else the one it has, else the contact's
    only account, else a new one for the contact.
    """
    access.permit(db, actor, "win", lead)
    _check_from(lead, MOVES["win"])
    before = events.snapshot(lead, sets=False)
    contact = lead.contact
    if accounts_receivable is not None:
        if accounts_receivable.owner is not contact:
            raise InvalidValue(
                f"Accounts receivable {accounts_receivable.number} is not owned by the "
                "lead's contact"
            )
        lead.accounts_receivable = accounts_receivable
    elif new_account is not None:
        lead.accounts_receivable = open_account(
            db, contact, new_account.name, new_account.description
        )
    elif lead.accounts_receivable is None:
        owned = accounts_of(db, contact)
        if len(owned) > 1:
            raise MandatoryParameterMissing(
                "accounts_receivable is mandatory: the contact owns several accounts receivable",
                field="accounts_receivable",
            )
        lead.accounts_receivable = owned[0] if owned else open_account(db, contact)
    contact.life_cycle_state = "FINANCIAL"
    return _perform(db, actor, lead, MOVES["win"], status, before)


@guarded
def lose(db: Session, actor: Actor, lead: m.Lead, lost_reason: m.LostReason | None, status=None):
    """Marks a Pending or In Progress lead Lost, for ``lost_reason``."""
    access.permit(db, actor, "lose", lead)
    _check_from(lead, MOVES["lose"])
    before = events.snapshot(lead, sets=False)
    if lost_reason is None:
        raise MandatoryParameterMissing("{field} is mandatory to lose a lead", field="lost_reason")
    lead.lost_reason = lost_reason
    return _perform(db, actor, lead, MOVES["lose"], status, before)


@guarded
def cancel(db: Session, actor: Actor, lead: m.Lead, status=None) -> m.Lead:
    """Cancels a lead that is neither Won nor Lost (nor already Cancelled)."""
    access.permit(db, actor, "cancel", lead)
    return _perform(db, actor, lead, MOVES["cancel"], status)


@guarded
def move_to(
    db: Session,
    actor: Actor,
    lead: m.Lead,
    target: m.LeadStatus | LifeCycleState,
    *,
    lost_reason: m.LostReason | None = None,
) -> Move | None:
    """Moves ``lead`` to a status or a life cycle state by the one move reaching its state
    (a status of the lead's own state is a plain status change, for open leads). Returns
    the move made, or None for a status change."""
    if isinstance(target, m.LeadStatus):
        status, state = target, LifeCycleState(target.life_cycle_state)
    else:
        status, state = None, target
    if state == lead.life_cycle_state:
        if status is None or lead.life_cycle_state not in OPEN_STATES:
            raise InvalidLifeCycleState(f"Lead {lead.number} is {state.label} already")
        if status is not lead.status:
            check_status_of_type(lead.type, status)
            before = events.snapshot(lead, sets=False)
            lead.status = status
            touch(lead, actor)
            flush(db)
            events.record(db, lead, actor, "update", before)
            flush(db)
        return None
    move = _BY_TARGET.get(state)
    if move is None:
        raise InvalidLifeCycleState(f"No move leads back to {state.label}")
    if move.action == "lose":
        lose(db, actor, lead, lost_reason, status)
    else:
        {"start_progress": start_progress, "win": win, "cancel": cancel}[move.action](
            db, actor, lead, status
        )
    return move


def move_by_status(db: Session, lead: m.Lead, status: m.LeadStatus, *, lost_reason=None) -> None:
    """Moves an open lead to the state of ``status`` (the pre-R11.1 update). Leaving the
    pipeline by update sets the completion date; a lost status needs a lost reason."""
    check_status_of_type(lead.type, status)
    target = status.life_cycle_state
    if target == LifeCycleState.LOST:
        if lost_reason is None:
            raise MandatoryParameterMissing(
                "{field} is mandatory to set a status classified as lost", field="lost_reason"
            )
        lead.lost_reason = lost_reason
    elif lost_reason is not None:
        raise InvalidValue(
            "{field} applies only with a status classified as lost", field="lost_reason"
        )
    if target == LifeCycleState.WON and lead.accounts_receivable is not None:
        lead.contact.life_cycle_state = "FINANCIAL"
    _enter(lead, status, target)


def _check_from(lead: m.Lead, move: Move) -> None:
    if lead.life_cycle_state not in move.sources:
        allowed = " or ".join(LifeCycleState(s).label for s in move.sources)
        raise InvalidLifeCycleState(
            f"Lead {lead.number} is {LifeCycleState(lead.life_cycle_state).label}; only {allowed} "
            f"leads can be {move.label}"
        )


def _perform(db: Session, actor: Actor, lead: m.Lead, move: Move, status, before=None):
    _check_from(lead, move)
    before = before or events.snapshot(lead, sets=False)
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
    if state in (LifeCycleState.WON, LifeCycleState.LOST):
        lead.actual_completion_date = clock.now()
