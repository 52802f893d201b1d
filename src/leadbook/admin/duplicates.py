"""Duplicates over the admin face: the candidates listed, and merging two contacts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.orm import Session

from leadbook.admin import leadmerge
from leadbook.admin.auth import Admin
from leadbook.deps import DbSession
from leadbook.domain import merge
from leadbook.models import Contact

router = APIRouter()
router.include_router(leadmerge.router)


def _shown(contact: Contact) -> dict[str, Any]:
    return {
        "number": contact.number,
        "name": contact.display_name,
        "email": contact.email,
        "phone": contact.phone,
    }


@router.get("/duplicates")
def duplicates(_: Admin, db: Session = DbSession) -> list[dict[str, Any]]:
    """Returns the possible duplicates found on create, newest first: the newer contact,
    the stored one it may duplicate, why (email, phone, same_name, similar_name), score."""
    return [
        {
            "contact": _shown(row.contact),
            "candidate": _shown(row.candidate),
            "reason": row.reason,
            "score": row.score,
            "found_at": row.found_at.isoformat(),
        }
        for row in merge.candidates(db)
    ]


class MergeRequest(BaseModel):
    survivor: str  # the number of the contact kept
    merged: str  # the number of the contact merged into it


@router.post("/duplicates/merge")
def merge_contacts(asked: MergeRequest, actor: Admin, db: Session = DbSession) -> dict[str, Any]:
    """Merges contact ``merged`` into ``survivor``: its leads and accounts move, each moved
    lead gets a ``merge`` event; the merged contact's number then reads as the survivor."""
    done = merge.merge_contacts(db, actor, asked.survivor, asked.merged)
    return {"survivor": done.survivor.number, "merged": done.merged.number, "leads": done.leads}
