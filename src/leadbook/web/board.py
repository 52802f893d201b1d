"""What the pages show, read through the domain's queries: board columns, lead lists,
dashboard figures. The list's filters are the domain's LeadFilter, so the web page and
the API's leads/list stay one implementation."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.domain import clock, queries
from leadbook.domain.actor import Actor
from leadbook.domain.vocabulary import OPEN_STATES
from leadbook.domain.workflow import sla
from leadbook.models import LIFE_CYCLE_STATES, Lead, LeadStatus, LeadType, LifeCycleState

CARDS_PER_COLUMN = 50
SORTABLE = queries.LIST_SORTS  # the list's sort keys (short, for URLs)


@dataclass(frozen=True)
class Filters:
    """The lead list's filters (those of leads/list the page offers), sort and page."""

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

    def lead_filter(self, db: Session) -> queries.LeadFilter:
        """Returns the domain filter these choices stand for (unknown choices match nothing
        rather than everything)."""
        lead_type = db.get(LeadType, self.type_id) if self.type_id else None
        status = db.get(LeadStatus, self.status_id) if self.status_id else None
        unknown = bool(self.type_id) and lead_type is None or bool(self.status_id) and not status
        kinds = tuple(sla.Breach) if self.breach == "any" else ()
        if self.breach in {kind.value for kind in sla.Breach}:
            kinds = (sla.Breach(self.breach),)
        now = clock.now()
        return queries.LeadFilter(
            type=lead_type,
            status=status,
            states=() if unknown else (self.state,) if self.state else None,
            importance=self.importance or None,
            text=self.text or None,
            no_next_activity=self.activity == "none",
            next_activity_overdue_at=now if self.activity == "late" else None,
            breached=sla.check(db, now) if kinds else None,
            breach_kinds=kinds or tuple(sla.Breach),
        )


def filters_of(query: str) -> Filters:
    """Returns the list's filters a query string of its own holds (a saved view's, the
    one a bulk form returns to); values the list would refuse are left at their default."""
    given = dict(parse_qsl(query.removeprefix("?")))
    size = given.get("size", "")
    page = given.get("page", "")
    return Filters(
        type_id=given.get("type", ""),
        state=given.get("state", ""),
        status_id=given.get("status", ""),
        importance=given.get("importance", ""),
        text=given.get("q", "").strip(),
        activity=given.get("activity", ""),
        breach=given.get("breach", ""),
        sort=given.get("sort", "number"),
        descending=given.get("desc") == "true",
        page=int(page) if page.isdigit() and int(page) >= 1 else 1,
        size=int(size) if size.isdigit() and 1 <= int(size) <= 100 else 20,
    )


def query_of(f: Filters, *, page: bool = False) -> str:
    """Returns the list's query string for ``f`` (blank filters left out; the page only
    when asked): what a saved view stores and a bulk form returns to."""
    pairs = {
        "type": f.type_id,
        "state": f.state,
        "status": f.status_id,
        "importance": f.importance,
        "q": f.text,
        "activity": f.activity,
        "breach": f.breach,
        "sort": f.sort if f.sort != "number" else "",
        "desc": "true" if f.descending else "",
        "size": str(f.size) if f.size != 20 else "",
        "page": str(f.page) if page and f.page != 1 else "",
    }
    return urlencode([(key, value) for key, value in pairs.items() if value])


def lead_types(db: Session) -> list[LeadType]:
    """Returns every lead type, by name."""
    return list(db.scalars(select(LeadType).order_by(LeadType.name)))


def statuses_of(lead_type: LeadType | None) -> list[LeadStatus]:
    """Returns the statuses of ``lead_type`` in life cycle order, then by name (none without
    a type)."""
    if lead_type is None:
        return []
    order: dict[str, int] = {state: i for i, state in enumerate(LIFE_CYCLE_STATES)}
    return sorted(lead_type.statuses, key=lambda s: (order[s.life_cycle_state], s.name))


def chosen_type(types: list[LeadType], type_id: str) -> LeadType | None:
    """Returns the type of ``types`` whose id is ``type_id``, else the first (the one a
    select shows chosen when none is)."""
    return next((t for t in types if t.id == type_id), types[0] if types else None)


@dataclass(frozen=True)
class Column:
    """One status of the board: its first cards (by priority, then number) and how many
    leads it holds in all."""

    status: LeadStatus
    leads: list[Lead]
    total: int


def columns(
    db: Session, actor: Actor, lead_type: LeadType, per_column: int | None = None
) -> list[Column]:
    """Returns the columns of ``lead_type`` as ``actor`` sees them: a status each, in life
    cycle order, with at most ``per_column`` cards (CARDS_PER_COLUMN by default)."""
    per_column = per_column or CARDS_PER_COLUMN
    result = []
    for status in statuses_of(lead_type):
        where = queries.LeadFilter(type=lead_type, status=status)
        leads = queries.find(db, actor, where, limit=per_column, sort="priority")
        total = len(leads) if len(leads) < per_column else queries.count(db, actor, where)
        result.append(Column(status, leads, total))
    return result


def search(db: Session, actor: Actor, f: Filters) -> tuple[list[Lead], int]:
    """Returns one page of the leads ``actor`` sees matching ``f`` and how many match in all."""
    where = f.lead_filter(db)
    rows = queries.find(
        db,
        actor,
        where,
        offset=(f.page - 1) * f.size,
        limit=f.size,
        sort=SORTABLE.get(f.sort, "number"),
        descending=f.descending,
    )
    return rows, queries.count(db, actor, where)


@dataclass(frozen=True)
class Dashboard:
    """The funnel (leads and amount per state), win rate and weighted open pipeline."""

    funnel: list[tuple[str, int]]
    amounts: dict[str, float]
    win_rate: float | None
    weighted_pipeline: float
    open_amount: float


def dashboard(db: Session, actor: Actor, lead_type: LeadType | None = None) -> Dashboard:
    """Returns the dashboard figures over the leads ``actor`` sees (or those of ``lead_type``)."""
    by_state = queries.funnel(db, actor, lead_type)
    counts = {state: int(by_state.get(state, {}).get("count", 0)) for state in LIFE_CYCLE_STATES}
    amounts: dict[str, float] = {
        state: by_state.get(state, {}).get("amount", 0.0) for state in LIFE_CYCLE_STATES
    }
    closed = counts[LifeCycleState.WON] + counts[LifeCycleState.LOST]
    return Dashboard(
        funnel=[(state, counts[state]) for state in LIFE_CYCLE_STATES],
        amounts=amounts,
        win_rate=counts[LifeCycleState.WON] / closed if closed else None,
        weighted_pipeline=queries.weighted_pipeline(db, actor, lead_type),
        open_amount=sum(amounts[state] for state in OPEN_STATES),
    )
