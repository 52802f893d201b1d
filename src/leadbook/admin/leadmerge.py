"""Lead duplicates over the admin face: the likely pairs, merging two leads, undoing a
merge. Managers may call these too; the domain decides (access.permit)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from leadbook.admin.auth import Caller
from leadbook.deps import DbSession
from leadbook.domain import leadduplicates, leadmerge
from leadbook.models import Lead, LeadMerge

router = APIRouter(prefix="/duplicates/leads")
Number = Field(ge=1, le=999_999_999)


def _shown(lead: Lead) -> dict[str, Any]:
    return {
        "number": lead.number,
        "type": lead.type.name,
        "life_cycle_state": lead.life_cycle_state,
        "contact": lead.contact.number,
        "contact_name": lead.contact.display_name,
        "topic": lead.topic,
    }


def _merge(done: LeadMerge) -> dict[str, Any]:
    return {
        "survivor": done.survivor.number,
        "merged": done.merged.number,
        "merged_at": done.merged_at.isoformat(),
        "added": done.added,
        "undone_at": done.undone_at.isoformat() if done.undone_at else None,
    }


@router.get("")
def lead_pairs(actor: Caller, db: Session = DbSession) -> list[dict[str, Any]]:
    """Returns the likely duplicate leads the caller sees, newest first: open leads of one
    type whose contact is the same (``same_contact``) or listed as a duplicate candidate
    (the candidate's reason)."""
    return [
        {"older": _shown(p.older), "newer": _shown(p.newer), "reason": p.reason}
        for p in leadduplicates.pairs(db, actor)
    ]


class LeadMergeRequest(BaseModel):
    survivor: int = Number  # the number of the lead kept
    merged: int = Number  # the number of the lead merged into it


class UndoRequest(BaseModel):
    merged: int = Number  # the number of the merged lead


@router.post("/merge")
def merge_leads(asked: LeadMergeRequest, actor: Caller, db: Session = DbSession) -> dict[str, Any]:
    """Merges lead ``merged`` into ``survivor`` (administrators and managers): its sets
    are added to the survivor's, it is closed and reads as the survivor."""
    return _merge(leadmerge.merge_leads(db, actor, asked.survivor, asked.merged))


@router.post("/undo")
def undo_merge(asked: UndoRequest, actor: Caller, db: Session = DbSession) -> dict[str, Any]:
    """Undoes the merge of lead ``merged`` within LEADBOOK_MERGE_UNDO_SECONDS."""
    return _merge(leadmerge.undo(db, actor, asked.merged))


@router.get("/merges")
def recent_merges(actor: Caller, db: Session = DbSession) -> list[dict[str, Any]]:
    """Returns the merges that can still be undone, newest first."""
    return [_merge(done) for done in leadmerge.recent(db, actor)]
