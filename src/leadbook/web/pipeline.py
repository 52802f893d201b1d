"""The pipeline board and the life cycle moves made from it or from a lead's page."""

from __future__ import annotations

import dataclasses
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain import lifecycle
from leadbook.domain.actor import Actor
from leadbook.domain.errors import DomainError, InvalidValue
from leadbook.models import Lead, LeadStatus, LostReason
from leadbook.refusals import UnreadableParameter
from leadbook.web import board, detail, marks, session, urls
from leadbook.web.filters import Filters, choices, from_address
from leadbook.web.page import CurrentActor, chosen_row, lead_of, render, whole

router = APIRouter(include_in_schema=False)


def board_context(
    request: Request,
    db: Session,
    actor: Actor,
    f: Filters,
    unfolded: list[str],
    moved: int | None = None,
) -> dict:
    """Returns what ``actor``'s board shows through ``f`` (its lead type: the first if
    unknown), with the closed columns of ``unfolded`` open; ``moved`` is the card a move
    just placed (it takes the focus)."""
    types = board.lead_types(db)
    chosen = board.chosen_type(types, f.type_id)
    f = dataclasses.replace(f, type_id=chosen.id if chosen else "")
    columns = board.columns(db, actor, chosen, f, unfolded) if chosen else []
    return {
        "types": types,
        "chosen": chosen,
        "columns": columns,
        "f": f,
        "unfolded": unfolded,
        "here": _address(f, unfolded),
        **choices(db),
        "moved": moved,
        "currency": request.app.state.settings.currency,
        "marks": marks.marks(db, [lead for column in columns for lead in column.leads]),
        "reasons": list(db.scalars(select(LostReason).order_by(LostReason.name))),
    }


def _address(f: Filters, unfolded: list[str]) -> str:
    """The board's query string: its filters and unfolded columns."""
    return "&".join(filter(None, (f.query(), urlencode({"open": unfolded}, doseq=True))))


Shown = Annotated[Filters, Depends(from_address)]
Unfolded = Annotated[list[str], Query(alias="open")]


@router.get("/web/board")
def pipeline(
    request: Request,
    actor: CurrentActor,
    f: Shown,
    unfolded: Unfolded = [],  # noqa: B006 (FastAPI copies it)
    db: Session = DbSession,
) -> HTMLResponse:
    """Shows the board of one lead type: a column per status (its totals; the closed ones
    folded unless asked open), a card per lead; my leads unless another owner is chosen."""
    context = board_context(request, db, actor, f, unfolded)
    return render(request, "board.html", actor=actor, error=None, notice=None, **context)


@router.get("/web/board/column")
def board_column(
    request: Request,
    actor: CurrentActor,
    f: Shown,
    column: str = "",
    fold: bool = False,
    unfolded: Unfolded = [],  # noqa: B006 (FastAPI copies it)
    db: Session = DbSession,
) -> Response:
    """One column of the board (``column``: a status id of its type) through ``f``, opened
    (or folded, ``fold``): what its Show / Fold link swaps in, the board's address (its
    open columns) replaced along; without htmx, a 303 to the whole board at that address."""
    chosen = board.chosen_type(board.lead_types(db), f.type_id)
    status = next((s for s in board.statuses_of(chosen) if s.id == column), None)
    if chosen is None or status is None:
        problem = ("column", "there is no such column on the board", column)
        raise UnreadableParameter("column", [problem])
    f = dataclasses.replace(f, type_id=chosen.id)
    unfolded = [o for o in unfolded if o != column] + ([] if fold else [column])
    address = f"/web/board?{_address(f, unfolded)}"
    if not request.headers.get("hx-request"):
        return urls.redirect(request, address)
    (shown,) = board.columns(db, actor, chosen, f, unfolded, only=status)
    response = render(
        request,
        "_column.html",
        actor=actor,
        column=shown,
        chosen=chosen,
        f=f,
        unfolded=unfolded,
        here=_address(f, unfolded),
        toggled=True,
        currency=request.app.state.settings.currency,
        marks=marks.marks(db, shown.leads),
    )
    response.headers["HX-Replace-Url"] = urls.web_url(request, address)
    return response


@router.post("/web/leads/{number}/move")
def move_lead(
    request: Request,
    number: int,
    actor: CurrentActor,
    f: Shown,
    action: Annotated[str, Form()] = "",
    lost_reason: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    view: Annotated[str, Form()] = "lead",
    csrf: Annotated[str, Form()] = "",
    unfolded: Unfolded = [],  # noqa: B006 (FastAPI copies it)
    db: Session = DbSession,
):
    """Starts progress on, wins, loses (with a reason) or cancels a lead, or (a card
    dropped on a column) moves it to that column's status, through the domain's rules.

    From the board (``view=board``) an htmx request gets the board again, with the
    domain's message when the move was refused; a plain form post is redirected back,
    or shown the page with the message. A refusal changes nothing.
    """
    board = (f, unfolded) if view == "board" else None
    return _moved(request, db, actor, number, action, lost_reason, status, board, csrf)


@router.post("/web/board/drop")
def drop_card(
    request: Request,
    actor: CurrentActor,
    f: Shown,
    number: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    lost_reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    unfolded: Unfolded = [],  # noqa: B006 (FastAPI copies it)
    db: Session = DbSession,
):
    """A card dropped on a board column: moves the lead to that column's status (the
    board's filters and unfolded columns in the address, to show it again as it was)."""
    number_ = whole(number) or 0
    return _moved(request, db, actor, number_, "", lost_reason, status, (f, unfolded), csrf)


def _moved(request, db, actor, number, action, lost_reason, status, shown, csrf):
    """Makes the move; answers the board (``shown``: its filters and unfolded columns) or
    the lead's page, with the notice or the refusal."""
    session.check_csrf(request, csrf)
    lead = lead_of(db, actor, number)
    type_id = lead.type_id
    error = notice = None
    try:
        notice = _move(db, actor, lead, action, lost_reason, status)
    except DomainError as exc:
        db.rollback()
        error = exc
    code = error.http_status if error else 200
    if shown is not None:
        f, unfolded = shown
        f = dataclasses.replace(f, type_id=type_id)
        if request.headers.get("hx-request"):
            context = board_context(request, db, actor, f, unfolded, moved=number)
            return render(
                request, "_board.html", code, actor=actor, error=error, notice=notice, **context
            )
        if error:
            context = board_context(request, db, actor, f, unfolded, moved=number)
            return render(
                request, "board.html", code, actor=actor, error=error, notice=None, **context
            )
        return urls.redirect(request, f"/web/board?{_address(f, unfolded)}#lead-{number}")
    if error:
        return detail.page(request, db, actor, lead_of(db, actor, number), error)
    return urls.redirect(request, f"/web/leads/{number}")


def _move(db: Session, actor: Actor, lead: Lead, action: str, reason_id: str, status_id: str):
    """Performs one move; returns what happened, for the page to say."""
    status = chosen_row(db, LeadStatus, status_id, "status")
    if not action and status is not None:
        if status is lead.status:
            return None  # dropped where it was
        reason = chosen_row(db, LostReason, reason_id, "lost reason")
        move = lifecycle.move_to(db, actor, lead, status, lost_reason=reason)
        if move is None:
            return f"Lead #{lead.number} is now {status.name}"
        action = move.action
    elif action == "lose":
        lifecycle.lose(
            db, actor, lead, chosen_row(db, LostReason, reason_id, "lost reason"), status
        )
    elif action in ("start_progress", "win", "cancel"):
        getattr(lifecycle, action)(db, actor, lead, status)
    else:
        raise InvalidValue(f"Unknown move {action!r}")
    return f"Lead #{lead.number} {lifecycle.MOVES[action].label}: now {lead.status.name}"
