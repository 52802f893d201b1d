"""The CRM.COM read methods: leads/show, leads/list and the get_* lists."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from leadbook.crmcom import document, wire
from leadbook.crmcom.answers import shown
from leadbook.crmcom.call import Fields, Ident, lead_named, reader
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.crmcom.listing import ListParams, ListQuery, token_first
from leadbook.deps import read
from leadbook.domain import clock, periods, vocabulary
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.models import LifeCycleState

router = APIRouter()
GET_STATES = {
    "get_pending": (LifeCycleState.PENDING,),
    "get_in_progress": (LifeCycleState.IN_PROGRESS,),
    "get_won_leads": (LifeCycleState.WON,),
    "get_lost_leads": (LifeCycleState.LOST,),
    "get_cancelled": (LifeCycleState.CANCELLED,),
}
# leads/list needs at least one of these
NARROWING = (
    "contact_information_identifier",
    "type_identifier",
    "category_identifier",
    "source_identifier",
    "importance",
    "priority",
)
CLOSE = "leads/get_close_to_estimated_completion_time"
# the caller's token, checked in the statement of the read (answers.shown, answers.listed)
ShowCaller = Annotated[str | None, reader("leads/show")]
ListCaller = Annotated[str | None, reader("leads/list")]  # the get_* take the same parameters
CloseCaller = Annotated[str | None, reader(CLOSE)]


# each method is an ``async def`` whose database work is one trip to the thread pool
# (``deps.read``: one statement, in autocommit)


@router.get("/leads/show", openapi_extra=document.get("leads/show"))
async def show(
    request: Request,
    actor: ShowCaller,
    lead_identifier: Ident = None,
    fields_set: Fields = None,
):
    """Returns one lead."""

    def work(db: Session) -> ORJSONResponse:
        with token_first(db, actor):
            lead = lead_named(wire.query_identifier("lead_identifier", lead_identifier))
            fields = wire.fields_set(fields_set)
        return shown(db, actor, lead, fields)

    return await read(request, work)


@router.get("/leads/list", openapi_extra=document.get("leads/list"))
async def list_leads(request: Request, actor: ListCaller, q: ListParams):
    """Returns the leads matching the filters given (at least one is needed)."""

    def work(db: Session) -> ORJSONResponse:
        with token_first(db, actor):
            if not any(q.filters[p] for p in NARROWING):
                needs = ", ".join(NARROWING)
                raise MandatoryParameterMissing(f"leads/list needs at least one of: {needs}")
            f = q.lead_filter(db)
        return q.answer(db, actor, f)

    return await read(request, work)


@router.get("/leads/get_overdue", openapi_extra=document.get("leads/get_overdue"))
async def get_overdue(request: Request, actor: ListCaller, q: ListParams):
    """Returns open leads past their expected completion day (domain.due)."""

    def work(db: Session) -> ORJSONResponse:
        with token_first(db, actor):
            f = q.lead_filter(db)
        f.overdue_at = clock.now()
        return q.answer(db, actor, f)

    return await read(request, work)


@router.get("/leads/get_close_to_estimated_completion_time", openapi_extra=document.get(CLOSE))
async def get_close(
    request: Request,
    actor: CloseCaller,
    q: ListParams,
    period: Annotated[str | None, Query(description="How far ahead to look")] = None,
    uot: Annotated[str | None, Query(description="MINUTES … YEARS")] = None,
):
    """Returns open leads due between today and ``period`` ``uot`` from now."""
    return await read(request, lambda db: _close(db, actor, q, period, uot))


def _close(
    db: Session, actor: str | None, q: ListQuery, period: str | None, uot: str | None
) -> ORJSONResponse:
    with token_first(db, actor):
        if period is None or uot is None:
            raise MandatoryParameterMissing("period and uot are mandatory")
        amount = wire.query_number(period, "period")
        if amount < 0:
            raise InvalidValue("period must be 0 or more")
        now = clock.now()
        unit = periods.check_unit(uot)
        try:
            until = periods.add(now, amount, unit)
        except OverflowError:
            raise InvalidValue("period is too far in the future") from None
        if unit not in ("MINUTES", "HOURS"):
            until = datetime.combine(until.date(), time.max).replace(microsecond=0)
        f = q.lead_filter(db)
    f.states = vocabulary.OPEN_STATES
    f.due_between = (datetime.combine(now.date(), time.min), until)
    return q.answer(db, actor, f)


def _by_state(name: str):
    async def endpoint(request: Request, actor: ListCaller, q: ListParams):
        def work(db: Session) -> ORJSONResponse:
            with token_first(db, actor):
                f = q.lead_filter(db)
            f.states = GET_STATES[name]
            return q.answer(db, actor, f)

        return await read(request, work)

    endpoint.__name__ = name
    endpoint.__doc__ = f"Returns the leads in life cycle state {GET_STATES[name][0]}."
    return endpoint


for _name in GET_STATES:
    router.add_api_route(
        f"/leads/{_name}",
        _by_state(_name),
        methods=["GET"],
        name=_name,
        openapi_extra=document.get(f"leads/{_name}"),
    )
