"""The rules of user accounts, whichever face changes one (``config apply``, the admin
API, the web's admin pages, ``leadbook create-user``): an administrator cannot disable
their own account, and the last active administrator can be neither disabled, demoted
nor deleted. A new password offered once is made here too."""

from __future__ import annotations

import secrets

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict
from leadbook.models import Role, User

LAST_ADMIN = "{field}: the last active administrator must stay an active administrator"


def one_time_password() -> str:
    """Returns a new random password to show once (16 characters, URL-safe)."""
    return secrets.token_urlsafe(12)


def _was(user: User, attr: str):
    """Returns ``user``'s ``attr`` as stored before this change (None for a new user)."""
    state = inspect(user)
    if state.pending or state.transient:
        return None
    history = state.attrs[attr].history
    return history.deleted[0] if history.deleted else getattr(user, attr)


def _other_admins(db: Session, user: User) -> int:
    """Returns how many active administrators there are besides ``user``."""
    found = select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id
    )
    return db.scalar(found) or 0


def check_change(db: Session, actor: Actor | None, user: User) -> None:
    """Refuses the change made to ``user`` (not yet flushed) when ``actor`` disables their
    own account, or when it takes the last active administrator's role or activity."""
    if actor is not None and user.id == actor.user.id and user.is_active is False:
        raise Conflict("{field}: you cannot disable your own account", field="is_active")
    was_admin = _was(user, "role") == Role.ADMIN and _was(user, "is_active") is not False
    if not was_admin or (user.role == Role.ADMIN and user.is_active is not False):
        return
    if not _other_admins(db, user):
        field = "role" if user.role != Role.ADMIN else "is_active"
        raise Conflict(LAST_ADMIN, field=field)


def check_removal(db: Session, actor: Actor | None, user: User) -> None:
    """Refuses deleting ``user`` when it is ``actor`` or the last active administrator."""
    if actor is not None and user.id == actor.user.id:
        raise Conflict("{field}: you cannot delete your own account", field="username")
    if user.role == Role.ADMIN and user.is_active and not _other_admins(db, user):
        raise Conflict(LAST_ADMIN, field="username")
