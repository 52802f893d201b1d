"""The webhooks admin pages: each subscription's state and delivery log, pause, resume and
redelivery of one event (administrators only), through the functions the admin API and
the CLI use (``domain.subscriptions``, ``webhooks.log``, ``webhooks.fanout``)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain import subscriptions, values
from leadbook.web import session, urls
from leadbook.web.page import CurrentActor, admin_only, render, whole
from leadbook.webhooks import fanout, log

router = APIRouter(include_in_schema=False)
PAGE = 100  # deliveries shown at once


@router.get("/web/webhooks")
def webhooks(request: Request, actor: CurrentActor, db: Session = DbSession) -> HTMLResponse:
    """Shows every subscription: where it sends, what, and whether it is active or paused
    (and why)."""
    admin_only(actor, "and manage the webhooks")
    rows = [log.subscription(row) for row in log.all_subscriptions(db)]
    return render(request, "webhooks.html", actor=actor, subscriptions=rows)


@router.get("/web/webhooks/{name}")
def deliveries(
    request: Request,
    name: str,
    actor: CurrentActor,
    state: str = "",
    after: str = "",
    db: Session = DbSession,
) -> HTMLResponse:
    """Shows subscription ``name`` and its delivery log (``state`` pending, delivered or
    failed; 100 deliveries after event position ``after``)."""
    admin_only(actor, "and manage the webhooks")
    row = subscriptions.find(db, name)
    first = values.whole(whole(after.strip()), "after", low=0) if after.strip() else 0
    shown = log.deliveries(db, row, state=state or None, after=first, limit=PAGE + 1)
    return render(
        request,
        "webhook.html",
        actor=actor,
        sub=log.subscription(row),
        deliveries=shown[:PAGE],
        more=shown[PAGE - 1]["position"] if len(shown) > PAGE else None,
        state=state,
        states=log.STATES,
    )


@router.post("/web/webhooks/{name}/active")
def set_active(
    request: Request,
    name: str,
    actor: CurrentActor,
    active: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Pauses (``active=false``) or resumes (``active=true``) subscription ``name``, as the
    admin API's ``PUT {"active": …}`` does."""
    session.check_csrf(request, csrf)
    admin_only(actor, "and manage the webhooks")
    wanted = {"true": True, "false": False}.get(active, active)
    subscriptions.save(db, subscriptions.find(db, name).name, {"active": wanted})
    return urls.redirect(request, f"/web/webhooks/{quote(name, safe='')}")


@router.post("/web/webhooks/{name}/redeliver")
def redeliver(
    request: Request,
    name: str,
    actor: CurrentActor,
    position: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = DbSession,
) -> RedirectResponse:
    """Sends the event at ``position`` to subscription ``name`` again, at once."""
    session.check_csrf(request, csrf)
    admin_only(actor, "and manage the webhooks")
    event = values.whole(whole(position.strip()), "position", low=1)
    fanout.redeliver(db, subscriptions.find(db, name), event, event)
    return urls.redirect(request, f"/web/webhooks/{quote(name, safe='')}")
