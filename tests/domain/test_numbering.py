"""Lead numbers: sequential, never one a stored lead has, a number given explicitly (an
import, the demo) taken into account; contact numbers skip the ones loaded explicitly."""

from __future__ import annotations

from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import leads, numbering
from leadbook.domain.contacts import NewContact
from tests.domain.test_rules import _changes


def test_numbers_follow_one_another(db, actor):
    first = leads.create(db, actor, _changes(db)).number
    assert leads.create(db, actor, _changes(db)).number == first + 1


def test_a_number_given_explicitly_is_never_handed_out_again(db, actor):
    first = leads.create(db, actor, _changes(db)).number
    given = leads.create(db, actor, _changes(db), number=first + 500).number
    assert given == first + 500
    assert leads.create(db, actor, _changes(db)).number == first + 501


def test_a_smaller_number_given_explicitly_does_not_move_the_numbers_back(db, actor):
    high = leads.create(db, actor, _changes(db)).number + 1000
    leads.create(db, actor, _changes(db), number=high)
    leads.create(db, actor, _changes(db), number=high - 500)
    assert leads.create(db, actor, _changes(db)).number == high + 1


def test_a_new_contact_skips_a_number_a_loaded_contact_has(db, actor):
    made = leads.create(db, actor, _changes(db, contact=NewContact("PERSON", {"last_name": "A"})))
    following = int(made.contact.number[2:]) + 1
    db.add(m.Contact(type="PERSON", number=f"CI{following:06d}", last_name="Loaded"))
    db.flush()
    then = leads.create(db, actor, _changes(db, contact=NewContact("PERSON", {"last_name": "B"})))
    assert then.contact.number == f"CI{following + 1:06d}"
    assert (
        db.scalar(select(m.Contact.last_name).where(m.Contact.number == then.contact.number)) == "B"
    )


def test_a_number_wider_than_its_digits_is_written_whole_and_still_skipped(db):
    code = numbering.next_code(db, "contact", "W", 1, m.Contact.number)
    while int(code[1:]) < 10:  # one digit asked: 10 and on are wider
        code = numbering.next_code(db, "contact", "W", 1, m.Contact.number)
    following = int(code[1:]) + 1
    db.add(m.Contact(type="PERSON", number=f"W{following}", last_name="Loaded"))
    db.flush()
    assert numbering.next_code(db, "contact", "W", 1, m.Contact.number) == f"W{following + 1}"
