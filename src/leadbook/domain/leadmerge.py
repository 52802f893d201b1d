"""Merging duplicate leads, and undoing a merge within LEADBOOK_MERGE_UNDO_SECONDS.

The merged lead's sets are added to the survivor's (a union: no item twice). The merged
lead stays as it was, marked merged into the survivor: closed to writes, left out of every
list, a read of it refused naming the survivor (``queries``), its history part of the
survivor's (``queries.history``). Both leads get an audit event; the survivor's makes the
feed's ``lead.merged``. An undo takes off the survivor exactly the rows the merge added and
reopens the merged lead (``lead.unmerged``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.config import get_settings
from leadbook.domain import access, clock, events, identifiers, sets
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict, InvalidLifeCycleState, InvalidValue, NotFound
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.domain.writes import flush, guarded, touch


def _open(db: Session, actor: Actor, number: int, field: str) -> m.Lead:
    """Returns open lead ``number`` locked, if ``actor`` may merge it."""
    lead = identifiers.lead(db, actor, {"number": str(number)}, param=field, lock=True)
    access.permit(db, actor, "merge", lead)
    if lead.life_cycle_state not in OPEN_STATES:
        raise InvalidLifeCycleState(
            f"{{field}}: lead {number} is {lead.life_cycle_state}; only open leads "
            "(Pending or In Progress) are merged",
            field=field,
        )
    return lead


@guarded
def merge_leads(db: Session, actor: Actor, survivor: int, merged: int) -> m.LeadMerge:
    """Merges lead ``merged`` into lead ``survivor`` (numbers); refuses, changing nothing,
    a lead merged into itself, a merged, closed or unseen lead, two lead types."""
    if survivor == merged:
        raise InvalidValue("{field}: a lead cannot be merged into itself", field="merged")
    access.permit(db, actor, "merge")
    named = {survivor: "survivor", merged: "merged"}
    # locked in number order, so two merges of the same leads cannot deadlock
    found = {n: _open(db, actor, n, field) for n, field in sorted(named.items())}
    keep, gone = found[survivor], found[merged]
    if keep.type_id != gone.type_id:
        raise InvalidValue(
            f"{{field}}: lead {merged} is of type {gone.type.name!r}, lead {survivor} of "
            f"type {keep.type.name!r}; only leads of one type are merged",
            field="merged",
        )
    before, gone_before = events.snapshot(keep), events.snapshot(gone, sets=False)
    added = sets.union(keep, gone)
    gone.merged_into_id = keep.id
    touch(keep, actor)
    touch(gone, actor)
    flush(db)
    done = m.LeadMerge(
        survivor=keep,
        merged=gone,
        merged_at=clock.now(),
        username=actor.user.username,
        added={name: [row.id for row in rows] for name, rows in added.items()},
    )
    db.add(done)
    events.record(db, keep, actor, "merge_lead", before, {"merged_lead": [None, merged]})
    events.record(db, gone, actor, "merged_into", gone_before, {"survivor": [None, survivor]})
    flush(db)
    return done


def _merged(db: Session, actor: Actor, number: int) -> m.Lead:
    """Returns lead ``number``, merged, locked, if ``actor`` sees it."""
    stmt = select(m.Lead).where(m.Lead.number == number, access.visible(actor))
    lead = db.scalar(stmt.with_for_update(of=m.Lead))
    if lead is None:
        raise NotFound(f"No lead has number {number} (merged)", field="merged")
    if lead.merged_into_id is None:
        raise Conflict(f"{{field}}: lead {number} is not merged", field="merged")
    return lead


def _undoable(db: Session, done: m.LeadMerge) -> None:
    """Refuses to undo ``done`` after the window, or when a later merge touched its
    survivor (merged it into another lead, or another lead into it)."""
    keep, number = done.survivor, done.merged.number
    window = get_settings().merge_undo_seconds
    if clock.now() - done.merged_at > timedelta(seconds=window):
        raise Conflict(
            f"{{field}}: lead {number} was merged at {done.merged_at.isoformat()}; a merge "
            f"can be undone within {window} seconds only",
            field="merged",
        )
    if keep.merged_into_id is not None:
        raise Conflict(
            f"{{field}}: lead {keep.number} was merged into another lead since; undo that "
            "merge first",
            field="merged",
        )
    later = exists().where(
        m.LeadMerge.survivor_id == keep.id,
        m.LeadMerge.id > done.id,
        m.LeadMerge.undone_at.is_(None),
    )
    if db.scalar(select(later)):
        raise Conflict(
            f"{{field}}: another lead was merged into lead {keep.number} since; undo that "
            "merge first",
            field="merged",
        )


@guarded
def undo(db: Session, actor: Actor, merged: int) -> m.LeadMerge:
    """Undoes the merge of lead ``merged``: the rows it gave the survivor are taken off
    (those still there) and the merged lead is live again; refused after the window or
    when a later merge touched the survivor (see ``_undoable``)."""
    access.permit(db, actor, "merge")
    gone = _merged(db, actor, merged)
    done = db.scalars(
        select(m.LeadMerge)
        .where(m.LeadMerge.merged_id == gone.id, m.LeadMerge.undone_at.is_(None))
        .order_by(m.LeadMerge.id.desc())
        .limit(1)
    ).one()
    keep = db.scalar(select(m.Lead).where(m.Lead.id == done.survivor_id).with_for_update())
    assert keep is not None  # the merge's foreign key
    access.permit(db, actor, "merge", keep)
    _undoable(db, done)
    before, gone_before = events.snapshot(keep), events.snapshot(gone, sets=False)
    sets.take_off(keep, {row_id for ids in done.added.values() for row_id in ids})
    gone.merged_into_id = None
    done.undone_at = clock.now()
    touch(keep, actor)
    touch(gone, actor)
    flush(db)
    events.record(db, keep, actor, "unmerge_lead", before, {"merged_lead": [merged, None]})
    events.record(db, gone, actor, "unmerged", gone_before, {"survivor": [keep.number, None]})
    flush(db)
    return done


def recent(db: Session, actor: Actor, limit: int = 50) -> list[m.LeadMerge]:
    """Returns the merges still within the undo window whose merged lead ``actor`` sees,
    newest first."""
    since = clock.now() - timedelta(seconds=get_settings().merge_undo_seconds)
    return list(
        db.scalars(
            select(m.LeadMerge)
            .join(m.Lead, m.Lead.id == m.LeadMerge.merged_id)
            .where(
                m.LeadMerge.undone_at.is_(None),
                m.LeadMerge.merged_at >= since,
                access.visible(actor),
            )
            .order_by(m.LeadMerge.id.desc())
            .limit(limit)
        )
    )
