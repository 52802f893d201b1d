"""``/api/notifications``: the caller's own notifications, marking them read, and how the
caller is notified (in the app only, or by email too)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from leadbook.admin.routes import render_error
from leadbook.deps import DbSession
from leadbook.domain.workflow import notify
from leadbook.faces import Face
from leadbook.workflowapi.caller import Caller
from leadbook.workflowapi.shapes import NotificationOut, Notifications, PreferencesIn

PREFIX = "/api/notifications"
router = APIRouter(prefix=PREFIX, tags=["Sales workflow"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


@router.get("")
def list_notifications(
    actor: Caller, unread: bool = False, db: Session = DbSession
) -> Notifications:
    """Returns the caller's newest notifications (only unread ones with ``unread=true``)."""
    rows = notify.of_user(db, actor.user, unread=unread)
    return Notifications(
        unread=notify.unread_count(db, actor.user),
        notifications=[NotificationOut.of(row) for row in rows],
    )


@router.post("/{notification_id}/read")
def mark_read(notification_id: str, actor: Caller, db: Session = DbSession) -> dict[str, int]:
    """Marks one of the caller's notifications read."""
    notify.mark_read(db, actor.user, notification_id)
    return {"unread": notify.unread_count(db, actor.user)}


@router.post("/read")
def mark_all_read(actor: Caller, db: Session = DbSession) -> dict[str, int]:
    """Marks every notification of the caller read."""
    notify.mark_read(db, actor.user)
    return {"unread": 0}


@router.put("/preferences")
def preferences(body: PreferencesIn, actor: Caller, db: Session = DbSession) -> dict[str, bool]:
    """Sets whether the caller is notified by email too."""
    notify.set_email(db, actor.user, body.email)
    return {"email": actor.user.email_notifications}
