"""Integer ids are handed out once per entity and kind, and map back to the entity."""

from __future__ import annotations

from leadbook.models import User
from leadbook.xmlapi import ids


def test_numbers_are_handed_out_once_and_map_back(db):
    ada, bob = User(username="ada"), User(username="bob")
    db.add_all([ada, bob])
    db.flush()
    first = ids.numbers_for(db, ids.USER, [ada.id, bob.id, None])
    assert set(first) == {ada.id, bob.id} and len(set(first.values())) == 2
    db.commit()
    assert ids.numbers_for(db, ids.USER, [bob.id, ada.id]) == first
    assert ids.entity_for(db, ids.USER, first[ada.id]) == ada.id
    assert ids.number_for(db, ids.USER, None) == 0


def test_a_number_belongs_to_one_kind(db):
    ada = User(username="ada")
    db.add(ada)
    db.flush()
    number = ids.number_for(db, ids.USER, ada.id)
    assert ids.entity_for(db, ids.CONTACT, number) is None
    assert ids.number_for(db, ids.CONTACT, ada.id) != number
