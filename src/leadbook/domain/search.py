"""The text search rule: what a query typed into a search box matches.

A lead matches a query when every word of it is found (case-insensitive, anywhere in a
word) in the lead's search text: its topic, description, email and phone, and its
contact's first, middle and last name, company name, email and phone (models/search.py).
A query that is a whole number also matches the lead of that number, which comes first.
A query written like a phone number (digits with ``+ ( ) - . /`` and blanks, at least six
digits) is one term, matched by its digits in any of the forms the duplicate check
normalises phones to (identity.phone_key: E.164 with or without the country code).

Words of three characters or more are looked up in the index (PostgreSQL pg_trgm, SQLite
FTS5 trigram); shorter ones only narrow what the others found (a query of short words
alone reads every lead's text).

The contact picker's rule (``contact_condition``) is simpler: every word typed is found,
case-insensitive, in a contact's number, names, company, email or phone, through the
same indexes (PostgreSQL's trigram index of that text, SQLite's FTS5 table of it).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
from sqlalchemy import (
    Boolean,
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from leadbook import models as m
from leadbook.domain import identity
from leadbook.models.search import contact_text_sql

PHONE = re.compile(r"\+?[\d\s().\-/]+")
PHONE_DIGITS = 6  # fewer digits: a number or a fragment, not a phone
MAX_NUMBER = 999_999_999  # lead numbers have at most nine digits
INDEXED = 3  # the shortest text a trigram index finds
FTS = table("lead_search_fts", column("rowid"), column("doc"))
CONTACT_FTS = table("contact_search_fts", column("rowid"), column("doc"))
CONTACTS = table("contact_search", column("id"), column("contact_id"))  # SQLite's only


@dataclass(frozen=True)
class Query:
    """A parsed query: the lead number it names, if any, and its terms (all must match,
    each by one of its texts)."""

    number: int | None
    terms: tuple[tuple[str, ...], ...]


def parse(text: str | None) -> Query:
    """Returns what ``text`` asks for (no terms: it asks for nothing)."""
    text = (text or "").strip()
    bare = text.removeprefix("#")
    number = int(bare) if bare.isdigit() and int(bare) <= MAX_NUMBER else None
    digits = re.sub(r"\D", "", text)
    if PHONE.fullmatch(text) and len(digits) >= PHONE_DIGITS:
        return Query(number, (phone_forms(text),))
    if number is not None:
        return Query(number, ((bare,),))
    return Query(None, tuple((word,) for word in text.split()))


def phone_forms(text: str) -> tuple[str, ...]:
    """Returns the digits a phone written as ``text`` may be stored with: as typed, without
    leading zeros, in E.164 and as the national number (the country code left out); a form
    holding another is left out (finding the shorter finds it)."""
    digits = re.sub(r"\D", "", text)
    key = identity.phone_key(text) or ""
    forms = {digits, digits.lstrip("0"), key.lstrip("+")}
    if key.startswith("+"):
        with contextlib.suppress(phonenumbers.NumberParseException):  # digits after a +
            forms.add(str(phonenumbers.parse(key).national_number))
    forms = {form for form in forms if len(form) >= INDEXED}
    return tuple(sorted(f for f in forms if not any(o != f and o in f for o in forms)))


def condition(text: str | None) -> ColumnElement[bool] | None:
    """Returns the condition on ``leads`` of the leads ``text`` matches (None: no text)."""
    query = parse(text)
    if not query.terms:
        return None
    found = []
    for numbers in (_postgresql(query.terms), _sqlite(query.terms)):
        if query.number is not None:  # the named lead: in the same IN, not an OR beside it
            numbers = union_all(numbers, select(literal(query.number)))
        found.append(m.Lead.number.in_(numbers))
    return ByDialect(*found)


def contact_condition(text: str) -> ColumnElement[bool] | None:
    """Returns the condition on ``contacts`` of those holding every word of ``text`` in
    their picker's text (``models.search.contact_text_sql``; None: no words)."""
    terms = tuple((word,) for word in text.split())
    if not terms:
        return None
    searched = literal_column(contact_text_sql("contacts."), String)
    postgresql = and_(*(containing(searched, word) for (word,) in terms))
    rows = _sqlite(terms, CONTACT_FTS)
    sqlite = m.Contact.id.in_(select(CONTACTS.c.contact_id).where(CONTACTS.c.id.in_(rows)))
    return ByDialect(postgresql, sqlite)


def first(text: str | None) -> list[Any]:
    """Returns the ordering that puts the lead ``text`` names by number first (none when
    it names no number)."""
    number = parse(text).number
    return [] if number is None else [case((m.Lead.number == number, 0), else_=1)]


def containing(column, text: str) -> ColumnElement[bool]:
    """``column`` ILIKE '%text%' (``%`` and ``_`` in ``text`` plain), the pattern written into
    the statement: PostgreSQL plans each search for its own pattern, where a prepared
    statement's generic plan cannot tell a rare word from a common one and may read a
    whole table in index order."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    pattern = bindparam(None, f"%{escaped}%", type_=String, literal_execute=True)
    return column.ilike(pattern, escape="/")


def _postgresql(terms: tuple[tuple[str, ...], ...]):
    """The numbers of the matching leads on PostgreSQL: ILIKE over the trigram index; a
    short text through ``strpos``, which the index does not serve (it would read it all)."""
    doc = m.LeadSearch.doc

    def one(text: str):
        """The condition of one text of a term."""
        if len(text) >= INDEXED:
            return containing(doc, text)
        return func.strpos(func.lower(doc), text.lower()) > 0

    return select(m.LeadSearch.number).where(*(or_(*map(one, term)) for term in terms))


def _sqlite(terms: tuple[tuple[str, ...], ...], fts=FTS):
    """The rowids of the matching texts on SQLite (of ``fts``: the leads' numbers, by
    default; ``fts_condition``)."""
    return select(fts.c.rowid).where(fts_condition(terms, fts))


def fts_condition(terms: tuple[tuple[str, ...], ...], fts=FTS) -> ColumnElement[bool]:
    """The condition on SQLite's ``fts`` of the texts holding ``terms``: an FTS5 MATCH of
    the indexed terms (each quoted, so any character is literal), LIKE of the short ones."""
    indexed = [term for term in terms if all(len(text) >= INDEXED for text in term)]
    short = [term for term in terms if term not in indexed]
    quoted = [" OR ".join('"' + text.replace('"', '""') + '"' for text in t) for t in indexed]
    where = [
        or_(*(fts.c.doc.icontains(text, autoescape=True) for text in term)) for term in short
    ]
    if quoted:
        match = " AND ".join(f"({q})" for q in quoted)
        where.append(literal_column(fts.name).op("MATCH")(match))
    return and_(*where)


class ByDialect(ColumnElement[Any]):
    """An expression written once per dialect: PostgreSQL's, else SQLite's (a condition,
    unless ``type_`` says otherwise)."""

    inherit_cache = True
    _is_implicitly_boolean = True  # a condition as it is (SQLite: not "… = 1", no index)
    _traverse_internals = [
        ("postgresql", InternalTraversal.dp_clauseelement),
        ("sqlite", InternalTraversal.dp_clauseelement),
        ("type", InternalTraversal.dp_type),
    ]

    def __init__(self, postgresql, sqlite, type_: Any = None) -> None:
        """Keeps both expressions; the compiler picks one."""
        self.postgresql = postgresql
        self.sqlite = sqlite
        self.type = type_ if type_ is not None else Boolean()


@compiles(ByDialect)
def _compile_sqlite(element: ByDialect, compiler, **kw) -> str:
    """SQLite's statement (and any other dialect's)."""
    return compiler.process(element.sqlite, **kw)


@compiles(ByDialect, "postgresql")
def _compile_postgresql(element: ByDialect, compiler, **kw) -> str:
    """PostgreSQL's statement."""
    return compiler.process(element.postgresql, **kw)
