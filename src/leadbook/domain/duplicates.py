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
from functools import cache
from typing import cast

from rapidfuzz import fuzz
from sqlalchemy import Row, Select, bindparam, inspect, or_, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Session

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
        stored_id, column = exact[0]
        stored = db.get_one(Contact, stored_id)  # the only contact the check loads whole
        if how is OnDuplicate.REFUSE:
            raise DuplicateContact(stored, f"contact.{column}")
        return stored
    contact = create_contact(db, new)
    found = [(c, column, 100) for c, column in exact] + _alike(contact, near)
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


def _lookups(db: Session, keys: dict) -> tuple[list[tuple[str, str]], list[Row]]:
    """Returns the ids of the stored contacts sharing an exact key (with the field shared)
    and the others under the same name key (rows of SCORED, not Contacts), in one
    statement, each half limited."""
    given = tuple(bool(keys[column]) for _, column in EXACT)
    if not any(given) and not keys["name_key"]:
        return [], []
    query = _lookup(given, bool(keys["name_key"]))
    exact: list[tuple[str, str]] = []
    near: list[Row] = []
    for row in db.execute(query, {k: v for k, v in keys.items() if v}):
        shared = next((f for f, c in EXACT if keys[c] and getattr(row, c) == keys[c]), None)
        if shared:
            exact.append((row.id, shared))
        else:
            near.append(row)
    return exact, near


@cache
def _lookup(given: tuple[bool, ...], named: bool) -> Select:
    """Returns the lookup's statement for the keys given (EXACT's, the name key), their
    values bound at execution: built once, so its building and cache key are paid once."""
    columns = [column for (_, column), g in zip(EXACT, given, strict=True) if g]
    tests = [getattr(Contact, column) == bindparam(column) for column in columns]
    parts = []
    if tests:
        parts.append(select(Contact.id).where(or_(*tests)).order_by(Contact.number).limit(5))
    if named:
        same = select(Contact.id).where(Contact.name_key == bindparam("name_key"))
        parts.append(same.order_by(Contact.number).limit(NEAR_LIMIT))
    ids = [p.subquery().select() for p in parts]
    chosen = ids[0] if len(ids) == 1 else ids[0].union(ids[1])
    query = select(*SCORED).where(Contact.id.in_(chosen), Contact.merged_into_id.is_(None))
    return query.order_by(Contact.number)


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
