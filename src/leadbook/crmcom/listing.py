"""The query of leads/list and the get_* methods: filters, paging, fields_set.

The filters are written with the identifier syntax (``type_identifier=name=…``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.crmcom import answers, wire
from leadbook.crmcom.call import Asked
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.domain import identifiers
from leadbook.domain.errors import AuthenticationFailed, DomainError, InvalidValue
from leadbook.domain.filters import LeadFilter
from leadbook.domain.vocabulary import IMPORTANCES, canonical_source_type

# the rows each filter narrows to, and the kind of row its identifier names
REFERENCE_FILTERS = {
    "contact_information_identifier": ("contact", "contact"),
    "accounts_receivable_identifier": ("accounts_receivable", "accounts_receivable"),
    "type_identifier": ("type", "lead_type"),
    "category_identifier": ("category", "lead_category"),
}
FILTERS = (*REFERENCE_FILTERS, "source_identifier", "importance", "priority")


class ListQuery:
    """The filters, paging and fields_set of a list method's query string."""

    def __init__(self, asked: Asked) -> None:
        self.token = asked.token
        self.filters = {name: asked.get(name) for name in FILTERS}
        self.number_of_results = asked.get("number_of_results")
        self.offset = asked.get("offset")
        self.fields_set = asked.get("fields_set")

    def lead_filter(self, db: Session) -> LeadFilter:
        """Returns the filter the query's filters make (identifiers resolved)."""
        f = LeadFilter()
        for param, (attr, kind) in REFERENCE_FILTERS.items():
            ident = wire.query_identifier(param, self.filters[param])
            if ident is not None:
                setattr(f, attr, identifiers.resolve(db, kind, ident, param=param, loads=False))
        source = wire.query_identifier("source_identifier", self.filters["source_identifier"])
        if source is not None:
            field, value = identifiers.single_field("source_identifier", source, ("type", "name"))
            if field == "type":
                f.source_type = canonical_source_type(value)
            else:
                f.source_name = value
        if self.filters["importance"] is not None:
            importance = self.filters["importance"].strip().upper()
            if importance not in IMPORTANCES:
                raise InvalidValue(f"importance must be one of {', '.join(IMPORTANCES)}")
            f.importance = importance
        if self.filters["priority"] is not None:
            priority = wire.query_whole(self.filters["priority"], "priority")
            if not 1 <= priority <= 6:
                raise InvalidValue("priority must be a whole number from 1 to 6")
            f.priority = priority
        return f

    def answer(self, db: Session, f: LeadFilter) -> ORJSONResponse:
        """Returns the answer: the page of leads the caller sees that ``f`` matches and the
        query's paging asks for, with the query's fields_set."""
        with token_first(db, self.token):
            offset, limit = wire.paging(self.offset, self.number_of_results)
            fields = wire.fields_set(self.fields_set)
        return answers.listed(db, self.token, (f, offset, limit), fields)


@contextmanager
def token_first(db: Session, token: str | None) -> Iterator[None]:
    """Refuses a search's parameters only after its token: an unknown token is
    INVALID_TOKEN whatever its filters say. The token is checked here only when refusing,
    so an accepted search still checks it inside its one read."""
    try:
        yield
    except DomainError as exc:
        if not isinstance(exc, AuthenticationFailed):
            tokens.resolve(db, token)
        raise
