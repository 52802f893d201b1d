"""Webhook subscriptions over the admin API (``/api/admin/webhooks``): admin users only,
in the admin API's JSON style."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from sqlalchemy.orm import Session

from leadbook.admin.routes import Admin, render_error
from leadbook.deps import DbSession
from leadbook.domain import subscriptions, values
from leadbook.events.routes import whole_param
from leadbook.faces import Face
from leadbook.webhooks import fanout, log

PREFIX = "/api/admin/webhooks"
router = APIRouter(prefix=PREFIX, tags=["Admin: webhooks"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


def own_urls(request: Request) -> list[str]:
    """The URLs of this server no subscription may point at: the one it is called on and
    the configured public URL."""
    public = request.app.state.settings.public_url
    return [str(request.base_url), *([public] if public else [])]


@router.get("")
def list_subscriptions(_: Admin, db: Session = DbSession) -> list[dict[str, Any]]:
    """Returns every subscription (without its secret)."""
    return [log.subscription(row) for row in log.all_subscriptions(db)]


@router.get("/{name}")
def get_subscription(name: str, _: Admin, db: Session = DbSession) -> dict[str, Any]:
    """Returns subscription ``name`` with its secret."""
    return log.subscription(subscriptions.find(db, name), secret=True)


@router.put("/{name}")
def put_subscription(
    name: str,
    _: Admin,
    request: Request,
    body: Annotated[
        dict[str, Any], Body(description="url, event_types, lead_types, fields, secret, active")
    ],
    db: Session = DbSession,
) -> dict[str, Any]:
    """Creates or changes subscription ``name``; ``active: true`` resumes a paused one."""
    row, _changed = subscriptions.save(db, name, body, own=own_urls(request))
    return log.subscription(row, secret=True)


@router.delete("/{name}")
def delete_subscription(name: str, _: Admin, db: Session = DbSession) -> dict[str, str]:
    """Deletes subscription ``name`` and its delivery log."""
    db.delete(subscriptions.find(db, name))
    return {"deleted": name}


@router.get("/{name}/deliveries")
def deliveries(
    name: str,
    _: Admin,
    request: Request,
    db: Session = DbSession,
) -> list[dict[str, Any]]:
    """Returns the delivery log of ``name``: ``?state=pending|delivered|failed``,
    ``after`` (an event position), ``limit`` (100, at most 1000)."""
    params = request.query_params
    state = params.get("state")
    after = whole_param(params, "after", 0, 0, values.MAX_WHOLE)
    limit = whole_param(params, "limit", 100, 1, 1000)
    sub = subscriptions.find(db, name)
    return log.deliveries(db, sub, state=state, after=after, limit=limit)


@router.post("/{name}/redeliver")
def redeliver(
    name: str,
    _: Admin,
    body: Annotated[dict[str, Any], Body(description='{"from": position, "to": position}')],
    db: Session = DbSession,
) -> dict[str, int]:
    """Sends the events from position ``from`` to ``to`` (default: ``from``) again."""
    first = values.whole(body.get("from"), "from", low=1)
    last = values.whole(body.get("to", first), "to", low=1)
    return {"redelivered": fanout.redeliver(db, subscriptions.find(db, name), first, last)}
