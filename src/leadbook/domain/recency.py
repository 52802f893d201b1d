"""When a lead was last touched: the one answer scoring's recency and decay rules use."""

from __future__ import annotations

from datetime import datetime

from leadbook.domain import clock
from leadbook.models import Lead


def last_touch(lead: Lead) -> datetime:
    """Returns the time of ``lead``'s last change (its update stamp; a lead not yet
    stored: now). Activities (issue 18) will count here once they are recorded."""
    return lead.updated_date or lead.created_date or clock.now()
