"""The filters of the board and the lead list, read from the address (one shape for both)
and turned into the domain's LeadFilter. An unreadable value is the web's 400 page."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.domain import clock
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.domain.vocabulary import SOURCE_TYPES
from leadbook.domain.workflow import sla
from leadbook.models import LeadStatus, LeadType, User
from leadbook.refusals import UnreadableParameter


def _finite(value: float | None) -> float | None:
    """Refuses an amount that is no number (nan) or infinite."""
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


_blank = BeforeValidator(lambda value: None if value == "" else value)
Day = Annotated[date | None, _blank]  # YYYY-MM-DD, or blank: any
Amount = Annotated[float | None, _blank, AfterValidator(_finite)]
OWNERS = ("me", "all")  # my leads (the default), everyone's I may see; else a user's id


@dataclass(frozen=True)
class Filters:
    """What the board and the list are filtered by (the list's also sort and page)."""

    type_id: str = ""
    state: str = ""
    status_id: str = ""
    importance: str = ""
    text: str = ""
    activity: str = ""  # none: no next activity; late: next activity overdue
    breach: str = ""  # any, or a kind of breach (sla.Breach)
    sort: str = "number"
    descending: bool = False
    page: int = 1
    size: int = 20
    owner: str = "me"
    source_type: str = ""
    source_name: str = ""
    created_from: date | None = None
    created_to: date | None = None
    expected_from: date | None = None
    expected_to: date | None = None
    amount_min: float | None = None
    amount_max: float | None = None

    def owner_of(self, db: Session, actor: Actor) -> User | None:
        """Returns the user whose leads are shown (None: everyone's the actor sees); an
        unknown user is an unreadable parameter."""
        if self.owner in OWNERS:
            return actor.user if self.owner == "me" else None
        user = db.get(User, self.owner)
        if user is None:
            given = self.owner
            raise UnreadableParameter("owner", [("owner", "there is no such user", given)])
        return user

    def lead_filter(self, db: Session, actor: Actor) -> LeadFilter:
        """Returns the domain filter these choices stand for (unknown type or status choices
        match nothing rather than everything)."""
        lead_type = db.get(LeadType, self.type_id) if self.type_id else None
        status = db.get(LeadStatus, self.status_id) if self.status_id else None
        unknown = bool(self.type_id) and lead_type is None or bool(self.status_id) and not status
        kinds = tuple(sla.Breach) if self.breach == "any" else ()
        if self.breach in {kind.value for kind in sla.Breach}:
            kinds = (sla.Breach(self.breach),)
        now = clock.now()
        return LeadFilter(
            type=lead_type,
            status=status,
            states=() if unknown else (self.state,) if self.state else None,
            importance=self.importance or None,
            text=self.text or None,
            no_next_activity=self.activity == "none",
            next_activity_overdue_at=now if self.activity == "late" else None,
            breached=sla.check(db, now) if kinds else None,
            breach_kinds=kinds or tuple(sla.Breach),
            assigned_user=self.owner_of(db, actor),
            source_type=self.source_type or None,
            source_name=self.source_name or None,
            created_from=_start(self.created_from),
            created_before=_start(self.created_to, 1),
            expected_from=_start(self.expected_from),
            expected_before=_start(self.expected_to, 1),
            amount_min=self.amount_min,
            amount_max=self.amount_max,
        )

    def query(self, **changes) -> str:
        """Returns the address's query string of these filters (with ``changes``), the
        values left out that are blank or the default."""
        values = dataclasses.asdict(dataclasses.replace(self, **changes))
        default = dataclasses.asdict(Filters())
        names = {"type_id": "type", "status_id": "status", "text": "q", "descending": "desc"}
        pairs = {
            names.get(k, k): "true" if v is True else v
            for k, v in values.items()
            if v != default[k] and not _blank_value(v)
        }
        return urlencode(pairs)


def _blank_value(value) -> bool:
    """Whether an address leaves ``value`` out (blank, none, false; a 0 stays)."""
    return value is None or value is False or value == ""


def _start(day: date | None, later: int = 0) -> datetime | None:
    """The first moment of ``day`` (+ ``later`` days), or None."""
    return None if day is None else datetime.combine(day + timedelta(days=later), time.min)


def from_address(
    type: str = "",
    state: str = "",
    status: str = "",
    importance: str = "",
    q: str = "",
    activity: str = "",
    breach: str = "",
    sort: str = "number",
    desc: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    owner: str = "me",
    source_type: str = "",
    source_name: str = "",
    created_from: Day = None,
    created_to: Day = None,
    expected_from: Day = None,
    expected_to: Day = None,
    amount_min: Amount = None,
    amount_max: Amount = None,
) -> Filters:
    """The filters an address carries (a dependency of the board, the list and the moves
    made from the board, which show it again as it was)."""
    return Filters(
        type, state, status, importance, q.strip(), activity, breach, sort, desc, page, size,
        owner or "me", source_type, source_name.strip(), created_from, created_to,
        expected_from, expected_to, amount_min, amount_max,
    )  # fmt: skip


def filters_of(query: str) -> Filters:
    """Returns the filters a query string of the list's own holds (a saved view's, the one
    a bulk form returns to); values the list would refuse are left at their default."""
    given = dict(parse_qsl(query.removeprefix("?")))
    text = given.get

    def day(key: str) -> date | None:
        try:
            return date.fromisoformat(text(key, ""))
        except ValueError:
            return None

    def amount(key: str) -> float | None:
        try:
            return _finite(float(text(key, "")))
        except ValueError:
            return None

    def whole(key: str, default: int, most: int) -> int:
        value = text(key, "")
        return int(value) if value.isdigit() and 1 <= int(value) <= most else default

    return Filters(
        text("type", ""), text("state", ""), text("status", ""), text("importance", ""),
        text("q", "").strip(), text("activity", ""), text("breach", ""),
        text("sort", "number"), text("desc") == "true", whole("page", 1, 10**9),
        whole("size", 20, 100), text("owner") or "me", text("source_type", ""),
        text("source_name", "").strip(), day("created_from"), day("created_to"),
        day("expected_from"), day("expected_to"), amount("amount_min"), amount("amount_max"),
    )  # fmt: skip


def query_of(f: Filters, *, page: bool = False) -> str:
    """Returns the list's query string for ``f`` (blank and default values left out; the
    page only when asked): what a saved view stores and a bulk form returns to."""
    return f.query() if page else f.query(page=1)


def choices(db: Session) -> dict:
    """Returns what the shared filters offer: the users whose leads the owner filter may
    show (by name), the source types."""
    return {
        "owners": list(db.scalars(select(User).order_by(User.username))),
        "source_types": SOURCE_TYPES,
    }
