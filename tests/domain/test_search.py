"""The text search rule (domain/search.py): what a query finds, through queries.find and
queries.count, with the visibility rule; the search text kept in step by the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from leadbook import models as m
from leadbook.domain import contacts, leads, queries, search
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.models import Contact, Lead, Role, User


def _found(db, actor, query: str, **kw) -> list[int]:
    rows = queries.find(db, actor, LeadFilter(text=query), **kw)
    assert queries.count(db, actor, LeadFilter(text=query)) == len(rows)
    return [lead.number for lead in rows]


@pytest.fixture
def acme(db, admin) -> tuple[Contact, list[Lead]]:
    """A contact at Acme Holdings, with a phone, made the contact of two demo leads."""
    contact = Contact(
        type="PERSON",
        first_name="Wilhelmina",
        last_name="Quaxworth",
        company_name="Acme Holdings",
        email="w.quax@acme-holdings.example",
        phone="+357 22 123456",
        number="CI999001",
    )
    db.add(contact)
    db.flush()
    two = list(db.scalars(select(Lead).order_by(Lead.number).limit(2)))
    for lead in two:
        lead.contact_id = contact.id
    db.flush()
    return contact, two


def test_a_surname_alone_finds_its_contacts_leads(db, admin, acme):
    _, two = acme
    assert _found(db, admin, "quaxworth") == [lead.number for lead in two]
    assert _found(db, admin, "Wilhelmina Quaxworth") == [lead.number for lead in two]
    assert _found(db, admin, "QUAX") == [lead.number for lead in two]  # part of a word


def test_a_company_name_finds_its_contacts_leads(db, admin, acme):
    _, two = acme
    assert _found(db, admin, "Acme Holdings") == [lead.number for lead in two]


def test_an_email_or_a_part_of_it(db, admin, acme):
    _, two = acme
    assert _found(db, admin, "w.quax@acme-holdings.example") == [lead.number for lead in two]
    assert _found(db, admin, "acme-holdings") == [lead.number for lead in two]


@pytest.mark.parametrize(
    "typed", ["+357 22 123456", "22123456", "22 12 34 56", "0035722123456", "(22) 123-456"]
)
def test_a_phone_in_any_usual_form(db, admin, acme, typed):
    _, two = acme
    assert set(_found(db, admin, typed)) >= {lead.number for lead in two}


def test_every_word_must_match(db, admin, acme):
    _, two = acme
    assert _found(db, admin, "Quaxworth Acme") == [lead.number for lead in two]
    assert _found(db, admin, "Quaxworth Zyxxwv") == []
    assert _found(db, admin, "zyxxwvq") == []


def test_a_number_finds_that_lead_first(db, admin, acme):
    contact, two = acme
    last = db.scalar(select(Lead).order_by(Lead.number.desc()).limit(1))
    # other leads hold the number in their text: they come after it, whatever the sort
    for lead in two:
        lead.topic = f"call back about {last.number}"
    db.flush()
    for sort in ("number", "priority"):
        found = _found(db, admin, str(last.number), sort=sort)
        assert found[0] == last.number
        assert set(found) >= {last.number, *(lead.number for lead in two)}
    assert _found(db, admin, f"#{last.number}")[0] == last.number


def test_like_signs_are_plain_text(db, admin, acme):
    _, two = acme
    two[0].topic = 'a "discount" 100% off_peak'
    db.flush()
    assert _found(db, admin, "100%") == [two[0].number]
    assert _found(db, admin, "f_p") == [two[0].number]  # short: narrows the others
    assert _found(db, admin, "0%") == [two[0].number]
    assert _found(db, admin, '"discount') == [two[0].number]


def test_a_salesman_does_not_find_anothers_lead(db, admin, acme):
    _, two = acme
    sam = User(username="sam", role=Role.SALES)
    db.add(sam)
    db.flush()
    two[0].assigned_user_id = sam.id
    two[1].assigned_user_id = admin.user.id
    two[1].owned_by_group_id = None
    db.flush()
    assert _found(db, Actor(sam, None), "Quaxworth") == [two[0].number]
    assert two[1].number not in _found(db, Actor(sam, None), str(two[1].number))
    assert _found(db, admin, str(two[1].number))[0] == two[1].number


def test_the_search_text_follows_writes_of_leads_and_contacts(db, admin, acme):
    contact, two = acme
    lead = two[0]
    lead.topic = "Xylophone tuning"
    db.flush()
    assert _found(db, admin, "xylophone") == [lead.number]
    lead.topic = "Marimba tuning"
    db.flush()
    assert _found(db, admin, "xylophone") == []
    assert _found(db, admin, "marimba") == [lead.number]
    contact.last_name = "Brightwater"
    contact.phone = "+357 99 765432"
    db.flush()
    assert _found(db, admin, "quaxworth") == []
    assert _found(db, admin, "brightwater") == [n.number for n in two]
    assert set(_found(db, admin, "99 765432")) >= {n.number for n in two}
    assert _found(db, admin, "22123456") == []
    number = lead.number
    leads.delete(db, admin, lead)
    db.flush()
    assert _found(db, admin, "marimba") == []
    assert db.scalar(select(m.LeadSearch).where(m.LeadSearch.number == number)) is None


def test_a_new_lead_is_found(db, admin, acme):
    contact, two = acme
    copy = Lead(
        **{
            c.key: getattr(two[0], c.key)
            for c in Lead.__table__.columns
            if c.key not in ("id", "number", "utm_source", "topic")
        }
    )
    copy.number = 999_999_990
    copy.topic = "Glockenspiel"
    db.add(copy)
    db.flush()
    assert _found(db, admin, "glockenspiel quaxworth") == [999_999_990]


def test_sqlite_index_agrees_with_the_text(db, admin, acme):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    _, two = acme
    two[0].topic = "Theremin"
    db.flush()
    # the FTS5 integrity check compares the index with the texts it indexes
    db.execute(text("INSERT INTO lead_search_fts (lead_search_fts) VALUES ('integrity-check')"))
    hits = db.scalars(text("SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH 'eremi'"))
    assert list(hits) == [two[0].number]


def test_queries_parse():
    assert search.parse("142") == search.Query(142, (("142",),))
    assert search.parse("  ") == search.Query(None, ())
    assert search.parse("Acme Holdings").terms == (("Acme",), ("Holdings",))
    assert search.parse("+357 22 123456").terms == (("22123456",),)
    assert search.parse("1234567890123").number is None  # longer than a lead number


def _suggested(db, typed: str) -> list[str]:
    return [contact.number for contact in contacts.suggest(db, typed)]


def test_the_picker_finds_every_word_anywhere_in_a_contacts_text(db, admin, acme):
    contact, _ = acme
    assert _suggested(db, "quaxworth") == ["CI999001"]
    assert _suggested(db, "ILHELM acme-hold") == ["CI999001"]  # any case, inside words
    assert _suggested(db, "ci999001") == ["CI999001"]  # its number
    assert _suggested(db, "35722123456") == ["CI999001"]  # its phone, as stored (E.164)
    assert _suggested(db, "qu wi") == ["CI999001"]  # short words only: read, not indexed
    assert _suggested(db, "quaxworth nordic") == []  # every word
    assert _suggested(db, "quax%") == [] and _suggested(db, 'quax"') == []  # plain signs
    contact.merged_into_id = db.scalar(select(Contact.id).where(Contact.id != contact.id))
    db.flush()
    assert _suggested(db, "quaxworth") == []  # merged contacts left out


def test_the_pickers_text_follows_writes_of_contacts(db, admin, acme):
    contact, _ = acme
    contact.last_name = "Brightwater"
    contact.email = None
    db.flush()
    assert _suggested(db, "quaxworth") == [] and _suggested(db, "quax@acme") == []
    assert _suggested(db, "brightwater") == ["CI999001"]
    new = Contact(type="COMPANY", company_name="Zanzibar Looms", number="CI999002")
    db.add(new)
    db.flush()
    assert _suggested(db, "zanzib") == ["CI999002"]
    db.delete(new)
    db.flush()
    assert _suggested(db, "zanzib") == []


def test_sqlite_picker_index_agrees_with_the_contacts(db, admin, acme):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("contact_search and its FTS5 table are SQLite's")
    contact, _ = acme
    contact.first_name = "Theodora"
    db.flush()
    db.execute(
        text("INSERT INTO contact_search_fts (contact_search_fts) VALUES ('integrity-check')")
    )
    texts = db.execute(text("SELECT count(*), count(DISTINCT contact_id) FROM contact_search"))
    assert texts.one() == (db.scalar(select(func.count(Contact.id))),) * 2
    stmt = contacts.suggestions("theodora")
    plan = " ".join(row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {_sql(db, stmt)}")))
    assert "contact_search_fts VIRTUAL TABLE" in plan  # the index, not every contact read
    assert "SCAN contacts" not in plan


def _sql(db, stmt) -> str:
    return str(stmt.compile(db.get_bind(), compile_kwargs={"literal_binds": True}))


def test_a_search_counts_one_past_the_cap_and_no_further(db, admin, acme, monkeypatch):
    _, two = acme
    f = LeadFilter(text="quaxworth")
    assert queries.count(db, admin, f) == 2
    monkeypatch.setattr(queries, "COUNTED", 1)
    assert queries.count(db, admin, f) == 2  # one past: "1+"
    two[0].topic = "Quaxworth's roof"  # a third match would not be counted
    extra = Lead(
        **{
            c.key: getattr(two[0], c.key)
            for c in Lead.__table__.columns
            if c.key not in ("id", "number", "utm_source")
        }
    )
    extra.number = 999_999_991
    db.add(extra)
    db.flush()
    assert len(queries.find(db, admin, f)) == 3  # every match still found
    assert queries.count(db, admin, f) == 2
    assert queries.count(db, admin, LeadFilter()) > 3  # no text: not capped


def test_on_postgresql_a_search_is_planned_for_its_values(db, admin, acme):
    """The connection keeps generic plans (db.PLANS); a search's statements are sent with
    their values written in and are not prepared, so each is planned for its values (a
    generic plan cannot tell how few matches a user sees)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plans")
    f = LeadFilter(text="quaxworth")
    for _ in range(3):  # prepared from the second time on (db.PREPARE_THRESHOLD)
        assert len(queries.find(db, admin, f)) == queries.count(db, admin, f) == 2
    prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement ILIKE '%quaxworth%'"
    assert db.scalar(text(prepared)) == 0
    assert db.scalar(text("SHOW plan_cache_mode")) == "force_generic_plan"
    queries.find(db, admin, LeadFilter())
    queries.find(db, admin, LeadFilter())
    others = (
        "SELECT sum(generic_plans) FROM pg_prepared_statements WHERE statement NOT LIKE '%quax%'"
    )
    assert db.scalar(text(others)) > 0  # the rest as before
