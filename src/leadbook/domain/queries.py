"""Finding leads: one filter shape for every face, served by indexed columns; every query
holds only the leads its actor may see (access.visible) and that are not merged into
another (``LIVE``): a merged lead named by a read is refused naming its survivor
(``LeadMerged``), which each face turns into its pointer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    Select,
    UnaryExpression,
    case,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.db import PLANNED_EACH_TIME
from leadbook.domain import access, scoring, search
from leadbook.domain.actor import Actor
from leadbook.domain.errors import LeadMerged
from leadbook.domain.filters import LIVE, LeadFilter, narrowed
from leadbook.domain.loading import JOINED, SETS, SHOWN, attach
from leadbook.domain.vocabulary import OPEN_STATES

COUNTED = 1000  # a count read from the leads stops past this many (shown "1,000+")
SORTS = {
    "number": m.Lead.number,
    "priority": m.Lead.priority,
    "importance": m.Lead.importance,
    "target_amount": m.Lead.target_amount,
    "expected_completion_date": m.Lead.expected_completion_date,
    "start_date": m.Lead.start_date,
    "updated_date": m.Lead.updated_date,
    "created_date": m.Lead.created_date,
    "score": m.Lead.score,
}
# the lead list's sort keys (short, for URLs) and the sort of SORTS each stands for
LIST_SORTS = {
    "number": "number",
    "priority": "priority",
    "amount": "target_amount",
    "expected": "expected_completion_date",
    "created": "created_date",
    "score": "score",
}


def find(
    db: Session,
    actor: Actor,
    f: LeadFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
) -> list[m.Lead]:
    """Returns the leads ``actor`` sees meeting ``f``, ordered by ``sort`` then number, one
    page of them."""
    stmt = page(actor, f, offset=offset, limit=limit, sort=sort, descending=descending)
    rows = list(db.scalars(stmt.options(*JOINED, *SETS)).unique())
    level = [
        *rows,
        *(row.contact for row in rows if row.contact),
        *(p for r in rows for p in r.products),
    ]
    while level:
        level = attach(db, level)
    return rows


def ordering(sort: str = "number", descending: bool = False, lead: Any = m.Lead) -> list:
    """Returns the order of a page: ``sort`` then number, over ``lead`` (the leads table or
    an alias of it)."""
    column = getattr(lead, SORTS[sort].key)
    order: list[UnaryExpression[Any]] = [column.desc() if descending else column.asc()]
    if sort != "number":
        order.append(lead.number.asc())
    return order


def page(
    actor: Actor | access.Viewer,
    f: LeadFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
) -> Select:
    """Returns the statement selecting the page of leads ``actor`` sees meeting ``f``; the
    lead its text names by number comes first (search.first). A text search picks the
    page's numbers first, reading only the columns the rule and the order need (a plan
    may then join the matches with an index of the leads, not read each match's lead),
    then those leads."""
    order = [*search.first(f.text), *ordering(sort, descending)]
    if not search.parse(f.text).terms:
        stmt = narrowed(select(m.Lead), actor, f).order_by(*order).offset(offset)
        return stmt if limit is None else stmt.limit(limit)
    numbers = narrowed(select(m.Lead.number), actor, f).order_by(*order).offset(offset)
    numbers = numbers if limit is None else numbers.limit(limit)
    found: ColumnElement[Any] = m.Lead.number.in_(numbers)
    if sort == "number" and search.parse(f.text).number is None:  # the FTS5 rowids' order
        rowid = search.FTS.c.rowid
        driven = _by_fts(actor, f).order_by(rowid.desc() if descending else rowid.asc())
        driven = driven.offset(offset)
        driven = driven if limit is None else driven.limit(limit)
        found = search.ByDialect(found, m.Lead.number.in_(driven))
    return planned_for(select(m.Lead).where(found).order_by(*order), f)


def planned_for(stmt: Select, f: LeadFilter) -> Select:
    """``stmt``, planned for its values each time when ``f`` searches text (db.py)."""
    searching = search.parse(f.text).terms
    return stmt.execution_options(**{PLANNED_EACH_TIME: True}) if searching else stmt


def exact(column):
    """``column`` as NUMERIC, so sums of it are exact and cannot overflow."""
    return cast(column, Numeric(asdecimal=False))


def count(db: Session, actor: Actor, f: LeadFilter) -> int:
    """Returns how many leads ``actor`` sees meeting ``f``: from the summary when it can
    answer (``summary``), else counted; a text search counts no further than one past
    ``COUNTED`` (more: "1,000+")."""
    kept = summary(select(func.coalesce(func.sum(m.LeadTotal.count), 0)), actor, f)
    if kept is not None:
        return int(db.scalar(kept) or 0)
    if not search.parse(f.text).terms:
        return db.scalar(narrowed(select(func.count()).select_from(m.Lead), actor, f))
    return _counted(db, actor, f, COUNTED + 1)


def count_up_to(db: Session, actor: Actor, f: LeadFilter, cap: int) -> tuple[int, bool]:
    """Returns ``count`` and False when the summary answers or at most ``cap`` leads meet
    ``f``, else ``cap`` and True (the leads counted only up to ``cap`` + 1)."""
    kept = summary(select(func.coalesce(func.sum(m.LeadTotal.count), 0)), actor, f)
    if kept is not None:
        return int(db.scalar(kept) or 0), False
    found = _counted(db, actor, f, cap + 1)
    return (cap, True) if found > cap else (found, False)


def _counted(db: Session, actor: Actor, f: LeadFilter, limit: int) -> int:
    """Counts the leads ``actor`` sees meeting ``f``, no further than ``limit``."""
    found = narrowed(select(m.Lead.number), actor, f).limit(fixed(limit)).subquery()
    stmt = select(func.count()).select_from(found)
    if search.parse(f.text).number is None and search.parse(f.text).terms:
        driven = select(func.count()).select_from(_by_fts(actor, f).limit(fixed(limit)).subquery())
        stmt = select(search.ByDialect(stmt.scalar_subquery(), driven.scalar_subquery(), Integer()))
    return db.scalar(planned_for(stmt, f)) or 0


def _by_fts(actor: Actor | access.Viewer, f: LeadFilter) -> Select:
    """The numbers of the live leads ``actor`` sees meeting ``f`` (a text search), driven
    on SQLite from the FTS5 match's rowids (the leads' numbers, yielded in their order as
    they are found) instead of reading the leads and testing the match on each."""
    fts = search.FTS
    stmt = select(m.Lead.number).select_from(fts.join(m.Lead, m.Lead.number == fts.c.rowid))
    stmt = stmt.where(search.fts_condition(search.parse(f.text).terms))
    return narrowed(stmt, actor, replace(f, text=None)).correlate(None)


def fixed(limit: int) -> Any:
    """``limit`` written into the statement: a generic plan then knows it (a parameter is
    planned as a tenth of the rows, and a few ids become a join over every lead)."""
    return literal_column(str(int(limit)))


# the summary's columns as the visibility rule reads them (access.summarised)
SUMMARY = access.Columns(
    None, m.LeadTotal.assigned_user_id, None, None, func.nullif(m.LeadTotal.privacy_level_id, "")
)


def summary(stmt: Select, actor: Actor, f: LeadFilter) -> Select | None:
    """Returns ``stmt`` narrowed to the rows of ``lead_totals`` (models/totals.py) holding
    exactly the live leads ``actor`` sees meeting ``f``, or None when the summary cannot
    answer: ``f`` sets more than type, status, states and assigned user, or the viewer's
    rule is more than the summary keeps (access.summarised)."""
    kept = replace(f, type=None, status=None, states=None, assigned_user=None)
    seen = access.summarised(actor, f.assigned_user, SUMMARY)
    if kept != LeadFilter() or seen is None:
        return None
    total = m.LeadTotal
    stmt = stmt.where(seen)
    if f.states is not None:
        stmt = stmt.where(total.life_cycle_state.in_(f.states))
    for column, value in (
        (total.type_id, f.type),
        (total.status_id, f.status),
        (total.assigned_user_id, f.assigned_user),
    ):
        if value is not None:
            stmt = stmt.where(column == value.id)
    return stmt


def by_number(db: Session, actor: Actor, number: int) -> m.Lead | None:
    """Returns lead ``number``, or None (also when ``actor`` may not see it)."""
    return one(db, actor, m.Lead.number == number)


def by_numbers(db: Session, actor: Actor, numbers: list[int]) -> list[m.Lead]:
    """Returns the live leads numbered ``numbers`` that ``actor`` sees, by number."""
    stmt = seen(actor).where(m.Lead.number.in_(numbers)).options(*JOINED)
    return list(db.scalars(stmt.order_by(m.Lead.number)))


def one(
    db: Session, actor: Actor, condition, *, lock: bool = False, field: str | None = None
) -> m.Lead | None:
    """Returns the lead meeting ``condition`` that ``actor`` sees, or None; ``lock`` holds
    its row until the transaction ends (``FOR UPDATE``; SQLite's write lock) and reads the
    scoring rules' generation in the same statement (``scoring.seen``). A merged
    lead is refused (``refuse_merged``, naming ``field``)."""
    stmt = seen(actor).where(condition).options(*JOINED)
    if lock:  # a write's read: the scoring rules' generation comes with it
        row = db.execute(
            stmt.add_columns(scoring.generation()).with_for_update(of=m.Lead)
        ).one_or_none()
        if row is not None:
            scoring.seen(db, row[1])
        found = row[0] if row is not None else None
    else:
        found = db.scalars(stmt).one_or_none()
    if found is None:
        refuse_merged(db, actor, condition, field)
    return found


@dataclass(frozen=True)
class Caller:
    """A caller named by a credential, as SQL for a write's locking read: who reads
    (``viewer``), whether the credential is live, and its row (``entity`` meeting
    ``where``, loaded with ``loads``)."""

    viewer: access.Viewer
    live: Any
    entity: Any
    where: Any
    loads: tuple[Any, ...]
    params: Mapping[str, Any] | None = None  # the values of ``viewer``'s parameters


def one_for(db: Session, caller: Caller, condition) -> tuple[m.Lead, Any] | None:
    """Returns the lead meeting ``condition`` that the live ``caller`` sees, locked
    (``FOR UPDATE``), and the caller's row, in one statement that also reads the scoring
    rules' generation (``scoring.seen``); None when either is missing (ask each why)."""
    stmt = (
        select(m.Lead, caller.entity, scoring.generation())
        .join(caller.entity, caller.where)  # the credential's one row
        .where(access.visible(caller.viewer), LIVE, caller.live, condition)
        .options(*JOINED, *caller.loads)
        .with_for_update(of=m.Lead)
    )
    found = db.execute(stmt, caller.params).first()
    if found is None:
        return None
    scoring.seen(db, found[2])
    return found[0], found[1]


def refuse_merged(
    db: Session,
    actor: Actor | access.Viewer,
    condition,
    field: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> None:
    """Raises LeadMerged when the lead meeting ``condition`` that ``actor`` sees was merged
    into another (the survivor at the end of the chain); a read that found no live lead
    calls it, so a found lead costs nothing more (``params``: those of a Viewer in SQL)."""
    merged = select(m.Lead.number, m.Lead.merged_into_id).where(
        condition, access.visible(actor), ~LIVE
    )
    row = db.execute(merged, params).first()
    if row is None:
        return
    number, into = row
    while into is not None:
        survivor, into = db.execute(
            select(m.Lead.number, m.Lead.merged_into_id).where(m.Lead.id == into)
        ).one()
    raise LeadMerged(number, survivor, field=field)


def seen(actor: Actor | access.Viewer) -> Select:
    """Returns the statement selecting the live leads ``actor`` sees, to narrow further."""
    return select(m.Lead).where(access.visible(actor), LIVE)


def absorbed(db: Session, lead_id: str) -> list[str]:
    """Returns the ids of the leads merged into lead ``lead_id``, directly or through
    others (a lead merged into one merged later)."""
    found: list[str] = []
    level = [lead_id]
    while level:
        level = list(db.scalars(select(m.Lead.id).where(m.Lead.merged_into_id.in_(level))))
        found += level
    return found


def history(db: Session, lead: m.Lead) -> list[m.LeadEvent]:
    """Returns the events of ``lead`` and of the leads merged into it, oldest first."""
    ids = [lead.id, *absorbed(db, lead.id)]
    return list(
        db.scalars(select(m.LeadEvent).where(m.LeadEvent.lead_id.in_(ids)).order_by(m.LeadEvent.id))
    )


def funnel(
    db: Session, actor: Actor, lead_type: m.LeadType | None = None
) -> dict[str, dict[str, float]]:
    """Returns, per life cycle state, the number of leads ``actor`` sees and their summed
    target amount (summed as NUMERIC: exact, and no overflow however large the amounts)."""
    stmt = select(
        m.Lead.life_cycle_state,
        func.count(),
        func.coalesce(func.sum(exact(m.Lead.target_amount)), 0),
    ).group_by(m.Lead.life_cycle_state)
    stmt = narrowed(stmt, actor, LeadFilter(type=lead_type))
    return {state: {"count": n, "amount": float(total)} for state, n, total in db.execute(stmt)}


def weighted(lead: Any = m.Lead) -> Any:
    """The weighted amount of the leads summed: Σ target amount × probability to win (in
    percent) / 100 over the open ones (a missing amount or probability counts 0; closed
    leads are no pipeline: NULL when none is open); over ``lead``'s columns (the leads
    table's, or a subquery's of the same names)."""
    each = exact(lead.target_amount) * exact(lead.probability_to_win)
    return func.sum(case((lead.life_cycle_state.in_(OPEN_STATES), each))) / 100


def weighted_pipeline(db: Session, actor: Actor, lead_type: m.LeadType | None = None) -> float:
    """Returns the open leads' target amounts ``actor`` sees, each weighted by its
    probability to win (``weighted``)."""
    stmt = select(weighted()).select_from(m.Lead)
    stmt = narrowed(stmt, actor, LeadFilter(states=OPEN_STATES, type=lead_type))
    return float(db.scalar(stmt) or 0)


def shown(db: Session, actor: Actor, f: LeadFilter, **paging: Any) -> list[m.Lead]:
    """Returns the page of leads ``find`` returns (same ``paging``), loaded with only what a
    card or list row shows (``SHOWN``): one statement."""
    return list(db.scalars(page(actor, f, **paging).options(*SHOWN)))
