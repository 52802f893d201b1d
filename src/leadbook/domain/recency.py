"""When a lead was last touched: the one answer scoring's recency and decay rules use."""

from __future__ import annotations

from datetime import datetime

from leadbook.domain import clock
from leadbook.models import Lead


def last_touch(lead: Lead) -> datetime:
    """Returns the later of ``lead``'s last change (its update stamp) and its last note,
    activity or move (``last_activity_at``, domain/workflow/recency.py); a lead not yet
    stored: now."""
    times = [t for t in (lead.updated_date, lead.last_activity_at) if t is not None]
    return max(times) if times else lead.created_date or clock.now()
