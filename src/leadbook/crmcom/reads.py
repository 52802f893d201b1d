"""The CRM.COM read methods: leads/show, leads/list and the get_* lists."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from leadbook.crmcom import document, wire
from leadbook.crmcom.answers import shown
from leadbook.crmcom.call import Asked, lead_named, reader
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.crmcom.listing import ListQuery, token_first
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
ShowCall = Annotated[Asked, reader("leads/show")]
ListCall = Annotated[Asked, reader("leads/list")]  # the get_* take the same parameters
CloseCall = Annotated[Asked, reader(CLOSE)]


# each method is an ``async def`` whose database work is one trip to the thread pool
# (``deps.read``: one statement, in autocommit); the token is checked in the statement of
# the read (answers.shown, answers.listed)


@router.get("/leads/show", openapi_extra=document.get("leads/show"))
async def show(request: Request, call: ShowCall):
    """Returns one lead."""

    def work(db: Session) -> ORJSONResponse:
        with token_first(db, call.token):
            lead = lead_named(wire.query_identifier("lead_identifier", call.get("lead_identifier")))
            fields = wire.fields_set(call.get("fields_set"))
        return shown(db, call.token, lead, fields)

    return await read(request, work)


@router.get("/leads/list", openapi_extra=document.get("leads/list"))
async def list_leads(request: Request, call: ListCall):
    """Returns the leads matching the filters given (at least one is needed)."""
    q = ListQuery(call)

    def work(db: Session) -> ORJSONResponse:
        with token_first(db, q.token):
            if not any(q.filters[p] for p in NARROWING):
                needs = ", ".join(NARROWING)
                raise MandatoryParameterMissing(f"leads/list needs at least one of: {needs}")
            f = q.lead_filter(db)
        return q.answer(db, f)

    return await read(request, work)


@router.get("/leads/get_overdue", openapi_extra=document.get("leads/get_overdue"))
async def get_overdue(request: Request, call: ListCall):
    """Returns open leads past their expected completion day (domain.due)."""
    q = ListQuery(call)

    def work(db: Session) -> ORJSONResponse:
        with token_first(db, q.token):
            f = q.lead_filter(db)
        f.overdue_at = clock.now()
        return q.answer(db, f)

    return await read(request, work)


@router.get("/leads/get_close_to_estimated_completion_time", openapi_extra=document.get(CLOSE))
async def get_close(request: Request, call: CloseCall):
    """Returns open leads due between today and ``period`` ``uot`` from now."""
    q = ListQuery(call)
    return await read(request, lambda db: _close(db, q, call.get("period"), call.get("uot")))


def _close(db: Session, q: ListQuery, period: str | None, uot: str | None) -> ORJSONResponse:
    with token_first(db, q.token):
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
    return q.answer(db, f)


def _by_state(name: str):
    async def endpoint(request: Request, call: ListCall):
        q = ListQuery(call)

        def work(db: Session) -> ORJSONResponse:
            with token_first(db, q.token):
                f = q.lead_filter(db)
            f.states = GET_STATES[name]
            return q.answer(db, f)

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
