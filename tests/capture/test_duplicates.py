"""The one duplicate check, through leads/create: normalised email and phone attach the
stored contact (or refuse, or flag, as configured); near names are listed as candidates."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from leadbook.config import SettingsError, get_settings
from leadbook.domain import duplicates
from leadbook.domain.contacts import NewContact, create_contact
from leadbook.models import Contact, DuplicateCandidate, Lead
from tests.crmcom.conftest import ok, refused
from tests.statements import count_statements

BASE = {
    "importance": "IMPORTANCE3",
    "priority": 2,
    "type_identifier": {"name": "New Customer"},
    "estimated_completion_time": {"time_period_value": 2, "time_period_uot": "WEEKS"},
    "source": {"type": "WEBSITE", "name": "leadbook.test"},
}


def _create(api, **contact):
    person = {"action": "NEW", "type": "PERSON", "last_name": "Lovelace", **contact}
    return api.post("create", {**BASE, "contact_information": person})


def _contact_of(db, answer) -> Contact:
    db.rollback()
    db.expire_all()
    lead = db.scalar(select(Lead).where(Lead.number == int(ok(answer)["number"])))
    return lead.contact


def _candidates(db, contact: Contact) -> list[tuple[str, str, int]]:
    rows = db.scalars(select(DuplicateCandidate).where(DuplicateCandidate.contact_id == contact.id))
    return [(row.candidate.number, row.reason, row.score) for row in rows]


def test_two_spellings_of_a_phone_are_one_person(api, db):
    first = _contact_of(db, _create(api, first_name="Ada", phone="+357 99 765432"))
    second = _contact_of(db, _create(api, first_name="Ada", phone="+35799765432"))
    assert second.id == first.id and first.phone == "+357 99 765432"
    assert first.phone_key == "+35799765432"


def test_an_email_in_another_case_attaches_the_stored_contact(api, db):
    first = _contact_of(db, _create(api, email="Ada.Lovelace@Example.TEST"))
    again = _create(api, first_name="Augusta", email="ada.lovelace@example.test")
    assert _contact_of(db, again).id == first.id
    assert ok(again)["contact_information"]["name"] == "Lovelace"  # the stored one, unchanged


def test_plus_tags_count_only_when_configured(api, db, configure):
    first = _contact_of(db, _create(api, email="ada@example.test"))
    assert _contact_of(db, _create(api, email="ada+news@example.test")).id != first.id
    configure(EMAIL_PLUS_TAGS="strip")
    assert _contact_of(db, _create(api, email="ADA+crm@example.test")).id == first.id


def test_the_default_region_reads_national_numbers(api, db, configure):
    configure(PHONE_REGION="CY")
    first = _contact_of(db, _create(api, phone="99 765 433"))
    assert first.phone_key == "+35799765433"
    assert _contact_of(db, _create(api, phone="+357 99765433")).id == first.id


def test_refuse_names_the_field_and_stores_nothing(api, db, configure):
    _contact_of(db, _create(api, email="ada@refuse.test"))
    configure(ON_DUPLICATE="refuse")
    leads, contacts = (db.scalar(select(func.count(t.id))) for t in (Lead, Contact))
    message = refused(_create(api, email="ADA@refuse.test"), "DUPLICATE", 409)
    assert "contact_information.email" in message
    db.rollback()
    assert db.scalar(select(func.count(Lead.id))) == leads
    assert db.scalar(select(func.count(Contact.id))) == contacts


def test_flag_creates_the_contact_and_lists_the_stored_one(api, db, configure):
    first = _contact_of(db, _create(api, email="ada@flag.test"))
    configure(ON_DUPLICATE="flag")
    second = _contact_of(db, _create(api, first_name="Ada", email="ada@FLAG.test"))
    assert second.id != first.id
    assert _candidates(db, second) == [(first.number, "email", 100)]


def test_a_similar_name_is_a_candidate_and_another_name_is_not(api, db):
    first = _contact_of(db, _create(api, first_name="Jonathan", last_name="Quimby"))
    similar = _contact_of(db, _create(api, first_name="Jonathon", last_name="quimby"))
    other = _contact_of(db, _create(api, first_name="Mary", last_name="Quimby"))
    ((number, reason, score),) = _candidates(db, similar)
    assert (number, reason) == (first.number, "similar_name") and 85 <= score < 100
    assert _candidates(db, other) == []


def test_a_bad_policy_is_refused_naming_the_variable(configure):
    configure(ON_DUPLICATE="merge")
    with pytest.raises(SettingsError, match="LEADBOOK_ON_DUPLICATE='merge'"):
        get_settings()


@pytest.mark.parametrize("region, ok", [("CY", True), ("gb", True), ("", True), ("XX", False)])
def test_the_phone_region_is_one_phonenumbers_knows(configure, region, ok):
    configure(PHONE_REGION=region)
    if ok:
        assert get_settings().phone_region == region.upper()
    else:
        with pytest.raises(SettingsError, match="LEADBOOK_PHONE_REGION='XX'"):
            get_settings()


# the check called directly (domain/duplicates.py): what it lists and what it loads


def _stored(db, kind="PERSON", **values) -> Contact:
    contact = create_contact(db, NewContact(type=kind, values=values))
    db.flush()
    return contact


def _listed(db, contact: Contact) -> list[tuple[str, str, int]]:
    db.flush()
    rows = db.scalars(
        select(DuplicateCandidate)
        .where(DuplicateCandidate.contact_id == contact.id)
        .order_by(DuplicateCandidate.score.desc())
    )
    return [(row.candidate.number, row.reason, row.score) for row in rows]


@contextmanager
def _loading() -> Iterator[list[str]]:
    """Collects the ids of the contacts loaded as Contact objects while the block runs."""
    loaded: list[str] = []

    def record(contact: Contact, _context) -> None:
        loaded.append(contact.id)

    event.listen(Contact, "load", record)
    try:
        yield loaded
    finally:
        event.remove(Contact, "load", record)


def test_flag_lists_the_exact_match_then_the_alike_names_each_once(db, demo, configure):
    configure(ON_DUPLICATE="flag")
    grace = _stored(
        db, first_name="Grace", middle_name="B", last_name="Hopperton", email="grace@hopperton.test"
    )
    namesake = _stored(db, first_name="Grace", last_name="Hopperton")
    _stored(db, first_name="Zed", last_name="Hopperton")  # the same last name, not alike
    new = NewContact(
        type="PERSON",
        values={
            "first_name": "Grace",
            "middle_name": "B",
            "last_name": "HOPPERTON",
            "email": "Grace@Hopperton.test",
        },
    )
    contact = duplicates.contact_for(db, new)
    assert contact.id not in {grace.id, namesake.id}
    assert _listed(db, contact) == [
        (grace.number, "email", 100),
        (namesake.number, "similar_name", 94),
    ]


def test_a_company_is_matched_by_its_name_and_a_merged_one_is_not(db, demo):
    acme = _stored(db, "COMPANY", company_name="Acme  Widgets")
    merged = _stored(db, "COMPANY", company_name="acme widgets")
    merged.merged_into_id = acme.id
    _stored(db, first_name="Acme", last_name="Widgets")  # a person: the name key is "widgets"
    contact = duplicates.contact_for(
        db, NewContact(type="COMPANY", values={"company_name": "ACME Widgets"})
    )
    assert _listed(db, contact) == [(acme.number, "same_name", 100)]


def test_only_the_contact_attached_is_loaded_whole(db, demo):
    stored = _stored(db, first_name="Ada", last_name="Byron", phone="+357 99 111222")
    for _ in range(3):
        _stored(db, first_name="Ada", last_name="Byron")
    db.commit()
    db.expunge_all()
    new = NewContact(type="PERSON", values={"last_name": "Byron", "phone": "+35799111222"})
    with count_statements() as sent, _loading() as loaded:
        attached = duplicates.contact_for(db, new)
    assert attached.id == stored.id and attached.number == stored.number
    assert attached.phone == "+357 99 111222"  # the stored contact, as stored
    # the lookup (keys and names), then the one contact attached, by its id
    assert len(sent) == 2 and "birth_year" not in sent[0] and "birth_year" in sent[1], sent
    assert loaded == [stored.id]  # its namesakes were scored from their columns
