"""The one duplicate check: every new contact, whichever face asks for it, comes here.

A new contact whose email or phone (normalised, see identity.py) is a stored contact's
is an exact duplicate: by LEADBOOK_ON_DUPLICATE the stored contact is attached instead
(``attach``), the write refused (``refuse``), or the new one created and listed as a
candidate (``flag``). Near duplicates (the same last name or company name, the whole
names alike by rapidfuzz's token-sort ratio) are created and listed as candidates.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import cast

from rapidfuzz import fuzz
from sqlalchemy import Row, Select, and_, inspect, or_, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Session, aliased

from leadbook.config import get_settings
from leadbook.domain.contacts import NewContact, create_contact
from leadbook.domain.errors import Conflict, InvalidValue
from leadbook.domain.identity import keys_of
from leadbook.models import Contact, DuplicateCandidate, Lead

EXACT = (("email", "email_key"), ("phone", "phone_key"))
SIMILAR = 85  # the least token-sort ratio of two whole names called similar
NEAR_LIMIT = 50  # contacts of the same name compared at most
# what the check reads of a stored contact: its keys and the parts of its whole name (a
# near namesake is read as these columns, not loaded as a Contact)
SCORED = (
    Contact.id,
    Contact.email_key,
    Contact.phone_key,
    Contact.type,
    Contact.first_name,
    Contact.middle_name,
    Contact.last_name,
    Contact.company_name,
)
# Contact.display_name's own rule, applied to such a row
_whole_name = cast(hybrid_property, inspect(Contact).all_orm_descriptors["display_name"]).fget


class OnDuplicate(StrEnum):
    """What a create does with a new contact that exactly matches a stored one."""

    ATTACH = "attach"
    REFUSE = "refuse"
    FLAG = "flag"


class DuplicateContact(Conflict):
    """A new contact the stored ``existing`` already is (refused by the policy)."""

    code = "DUPLICATE"

    def __init__(self, existing: Contact, field: str):
        super().__init__(
            f"{{field}}: contact {existing.number} has the same {field.rpartition('.')[2]}",
            field=field,
        )
        self.existing = existing


def policy(new: NewContact) -> OnDuplicate:
    """Returns the policy for ``new``: its own, else the configured one."""
    chosen = new.on_duplicate or get_settings().on_duplicate
    try:
        return OnDuplicate(chosen)
    except ValueError:
        raise InvalidValue(
            f"{{field}} must be attach, refuse or flag, not {chosen!r}", field="on_duplicate"
        ) from None


def contact_for(db: Session, new: NewContact) -> Contact:
    """Returns the contact a lead gets for ``new``: a stored one it duplicates (policy
    attach) or the one created, with its candidates listed; raises DuplicateContact."""
    values = {k: v for k, v in new.values.items() if v is not None}
    keys = keys_of({"type": str(new.type or "").upper(), **values})
    exact, near = _lookups(db, keys)
    how = policy(new)
    if exact and how is not OnDuplicate.FLAG:
        stored, column = exact[0]
        if how is OnDuplicate.REFUSE:
            raise DuplicateContact(stored, f"contact.{column}")
        return stored
    contact = create_contact(db, new)
    found = [(c.id, column, 100) for c, column in exact] + _alike(contact, near)
    for candidate_id, reason, score in found:
        db.add(
            DuplicateCandidate(
                contact=contact, candidate_id=candidate_id, reason=reason, score=score
            )
        )
    return contact


def recent_lead(
    db: Session, values: dict, source_name: str, since: datetime
) -> Lead | None:
    """Returns the newest lead (not merged into another) from ``source_name`` since
    ``since`` whose contact has the email or phone of ``values`` (a contact's fields)."""
    keys = keys_of(values)
    tests = [getattr(Contact, column) == keys[column] for _, column in EXACT if keys[column]]
    if not tests:
        return None
    return db.scalar(
        select(Lead)
        .join(Contact, Lead.contact_id == Contact.id)
        .where(or_(*tests), Lead.source_name == source_name, Lead.created_date >= since)
        .where(Lead.merged_into_id.is_(None))
        .order_by(Lead.number.desc())
        .limit(1)
    )


def _lookups(db: Session, keys: dict) -> tuple[list[tuple[Contact, str]], list[Row]]:
    """Returns the stored contacts sharing an exact key (with the field shared) and the
    others under the same name key, in one statement, each half limited. Only an exact
    match is loaded as a Contact (it may be attached, or named by a refusal); a near one
    is a row of SCORED."""
    tests = [getattr(Contact, column) == keys[column] for _, column in EXACT if keys[column]]
    if not tests and not keys["name_key"]:
        return [], []
    parts = []
    if tests:
        parts.append(select(Contact.id).where(or_(*tests)).order_by(Contact.number).limit(5))
    if keys["name_key"]:
        same = select(Contact.id).where(Contact.name_key == keys["name_key"])
        parts.append(same.order_by(Contact.number).limit(NEAR_LIMIT))
    ids = [p.subquery().select() for p in parts]
    chosen = ids[0] if len(ids) == 1 else ids[0].union(ids[1])
    query: Select = select(*SCORED)
    if tests:  # the whole contact, joined only where a key is shared
        stored = aliased(Contact)
        shares = or_(*(getattr(stored, c) == keys[c] for _, c in EXACT if keys[c]))
        query = select(stored, *SCORED).outerjoin(stored, and_(stored.id == Contact.id, shares))
    query = query.where(Contact.id.in_(chosen), Contact.merged_into_id.is_(None))
    exact: list[tuple[Contact, str]] = []
    near: list[Row] = []
    for row in db.execute(query.order_by(Contact.number)):
        shared = next((f for f, c in EXACT if keys[c] and getattr(row, c) == keys[c]), None)
        if shared:
            exact.append((row[0], shared))
        else:
            near.append(row)
    return exact, near


def _alike(contact: Contact, near: list[Row]) -> list[tuple[str, str, int]]:
    """Returns the ids of the contacts of ``near`` whose whole name is like
    ``contact``'s, with the reason and the score."""
    name = contact.display_name.casefold()
    alike = []
    for other in near:
        score = round(fuzz.token_sort_ratio(name, _whole_name(other).casefold()))
        if score == 100:
            alike.append((other.id, "same_name", score))
        elif score >= SIMILAR:
            alike.append((other.id, "similar_name", score))
    return alike
