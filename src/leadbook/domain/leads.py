"""Creating, changing and deleting leads.

Faces translate their wire format into ``LeadChanges`` (identifiers already resolved to
rows) and call ``create`` / ``update`` / ``delete``; the rules a lead's fields obey are in
``fields``, ``checks`` and ``sets``, the life cycle moves in ``lifecycle``. Every
function flushes, so a broken rule or a stale write raises a DomainError inside the request,
whose transaction then rolls back as a whole.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import access, assignment, clock, events, lifecycle
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges
from leadbook.domain.checks import check_communication_settings, check_lead, check_status_of_type
from leadbook.domain.contacts import NewContact, accounts_of
from leadbook.domain.duplicates import contact_for
from leadbook.domain.errors import (
    Conflict,
    InvalidLifeCycleState,
    InvalidValue,
    MandatoryParameterMissing,
)
from leadbook.domain.fields import apply_dates, apply_source, apply_values
from leadbook.domain.numbering import claim, next_in_insert
from leadbook.domain.sets import edit_sets
from leadbook.domain.vocabulary import MAX_LEAD_NUMBER, OPEN_STATES, REQUIRED
from leadbook.domain.writes import flush, guarded, touch


def create(
    db: Session,
    actor: Actor,
    changes: LeadChanges,
    *,
    number: int | None = None,
    rule: m.AssignmentRule | None = None,
) -> m.Lead:
    """Creates a lead from ``changes`` (type, importance, priority, contact and source
    are needed; the type supplies the status and category when they are left out). With
    no assignee given, ``rule`` (else the first matching active rule) assigns it."""
    access.permit(db, actor, "create", values=changes.values)
    values = dict(changes.values)
    for key in ("type", "importance", "priority", "contact"):
        if values.get(key) is None:
            raise MandatoryParameterMissing("{field} is mandatory", field=key)
    if changes.source is None:
        raise MandatoryParameterMissing("{field} is mandatory", field="source")
    lead_type: m.LeadType = values["type"]
    now = clock.now()
    lead = m.Lead(
        life_cycle_state=m.LifeCycleState.PENDING,
        created_date=now,
        updated_date=now,
        created_by_user=actor.user,
        created_by_unit=actor.unit,
        updated_by_user=actor.user,
        updated_by_unit=actor.unit,
        competitors=[],  # a new lead's sets are known empty: never loaded
        users=[],
        products=[],
    )
    if values.get("start_date") is None:  # null counts as absent
        values["start_date"] = now
    if values.get("status") is None:
        values["status"] = _default_status(lead_type, "create", (m.LifeCycleState.PENDING,))
    if values.get("category") is None and lead_type.default_category is not None:
        values["category"] = lead_type.default_category
    state = values["status"].life_cycle_state
    if state not in OPEN_STATES:
        raise InvalidLifeCycleState(
            f"A lead is created Pending or In Progress; status {values['status'].name!r} "
            f"is {state} (use start_progress, win, lost or cancel afterwards)"
        )
    _create_new_contact(db, values)
    if "accounts_receivable" not in values:
        owned = accounts_of(db, values["contact"]) if values["contact"].id else []
        if len(owned) == 1:
            values["accounts_receivable"] = owned[0]
        elif owned:
            raise MandatoryParameterMissing(
                "{field} is mandatory: the contact is already a customer with several "
                "accounts receivable",
                field="accounts_receivable",
            )
    unassigned = values.get("assigned_user") is None and values.get("assigned_unit") is None
    if unassigned:
        values["assigned_user"] = actor.user  # unless a rule chooses another, below
    apply_values(lead, values)
    lead.life_cycle_state = state
    apply_dates(lead, changes, creating=True)
    apply_source(lead, changes.source)
    check_lead(lead)
    check_communication_settings(lead)
    if number is not None and not 1 <= number < MAX_LEAD_NUMBER:
        raise InvalidValue(
            f"{{field}} must be from 1 to {MAX_LEAD_NUMBER - 1} (the counter goes on "
            f"after it, up to {MAX_LEAD_NUMBER})",
            field="number",
        )
    # a rule's turn is taken under its own row's lock, one create at a time
    chosen_by = assignment.assign(db, lead, [rule] if rule else None) if unassigned else None
    edit_sets(lead, changes)
    with db.no_autoflush:  # the number is the last thing taken before the INSERT
        if number is None:
            lead.number = next_in_insert(db, "lead")
        else:
            lead.number = number
            claim(db, "lead", number)
        db.add(lead)
    flush(db)
    events.record(db, lead, actor, "create", None)
    if chosen_by is not None:  # a given assignee is the create event's own
        events.record_assignment(db, lead, actor, None, chosen_by.name)
    flush(db)
    return lead


@guarded
def update(
    db: Session,
    actor: Actor,
    lead: m.Lead,
    changes: LeadChanges,
    *,
    expected_version: int | None = None,
) -> m.Lead:
    """Changes an open lead. A status of another life cycle state moves the lead there
    with the rules of that move (see lifecycle.move_by_status)."""
    access.permit(db, actor, "update", lead, changes.values)
    if expected_version is not None and expected_version != lead.version:
        raise Conflict(
            f"Lead {lead.number} is at version {lead.version}, not {expected_version}; "
            "read it again and retry"
        )
    check_open(lead)
    values = dict(changes.values)
    for key in REQUIRED:
        if key in values and values[key] is None:
            raise MandatoryParameterMissing("{field} cannot be set to null", field=key)
    _create_new_contact(db, values)
    before = events.snapshot(lead, sets=_edits_sets(changes))
    status = values.pop("status", None)
    lost_reason = values.pop("lost_reason", None)
    if "type" in values and values["type"] is not lead.type and status is None:
        status = lead.status
    apply_values(lead, values)
    apply_dates(lead, changes, creating=False)
    if changes.source is not None:
        apply_source(lead, changes.source)
    edit_sets(lead, changes)
    check_lead(lead)
    touch(lead, actor)
    if status is not None and status is not lead.status:
        if status.life_cycle_state == lead.life_cycle_state:
            check_status_of_type(lead.type, status)
            lead.status = status
        else:
            lifecycle.move_by_status(db, lead, status, lost_reason=lost_reason)
    elif lost_reason is not None:
        raise InvalidValue(
            "{field} applies only when the lead is set to a lost status", field="lost_reason"
        )
    flush(db)
    events.record(db, lead, actor, "update", before)
    events.record_assignment(db, lead, actor, before)
    flush(db)
    return lead


@guarded
def delete(db: Session, actor: Actor, lead: m.Lead) -> None:
    """Deletes ``lead``; its history stays in the audit trail."""
    access.permit(db, actor, "delete", lead)
    before = events.snapshot(lead)
    events.record(db, lead, actor, "delete", before, {"deleted": [False, True]})
    db.delete(lead)
    flush(db)


def _edits_sets(changes: LeadChanges) -> bool:
    return any((changes.competitors, changes.users, changes.products))


def _create_new_contact(db: Session, values: dict) -> None:
    """Gives ``values`` the contact it describes as new, through the duplicate check (a
    face never creates one itself)."""
    if isinstance(values.get("contact"), NewContact):
        values["contact"] = contact_for(db, values["contact"])


def _default_status(lead_type: m.LeadType, action: str, states: tuple[str, ...]):
    """Returns the type's status for ``action``, else its first status in ``states``."""
    status = getattr(lead_type, f"{action}_status")
    if status is not None:
        return status
    for candidate in sorted(lead_type.statuses, key=lambda s: s.name):
        if candidate.life_cycle_state in states:
            return candidate
    raise MandatoryParameterMissing(
        f"{{field}} is mandatory: lead type {lead_type.name!r} has no default status",
        field="status",
    )


def check_open(lead: m.Lead) -> None:
    """Refuses (InvalidLifeCycleState) to change a lead that is no longer open: only
    Pending or In Progress leads can be updated."""
    if lead.life_cycle_state not in OPEN_STATES:
        raise InvalidLifeCycleState(
            f"Lead {lead.number} is {lead.life_cycle_state}; only Pending or In Progress "
            "leads can be updated"
        )
