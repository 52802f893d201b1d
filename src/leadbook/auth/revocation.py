"""Tokens end with the trust they were issued under: a user's live tokens are revoked in
the flush that changes the user's password or deactivates the user, whichever face or
command does it (a listener on every session)."""

from __future__ import annotations

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from leadbook.domain.clock import now as utcnow
from leadbook.models import AccessToken, User


def _lost_trust(user: User) -> bool:
    state = inspect(user)
    if state.attrs.password_hash.history.has_changes():
        return True
    return state.attrs.is_active.history.has_changes() and not user.is_active


@event.listens_for(Session, "before_flush")
def _revoke_tokens(session: Session, _context, _instances) -> None:
    users = [u.id for u in session.dirty if isinstance(u, User) and _lost_trust(u)]
    if users:
        session.execute(
            update(AccessToken)
            .where(AccessToken.user_id.in_(users), AccessToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
