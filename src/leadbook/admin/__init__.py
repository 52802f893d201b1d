"""Admin endpoints that manage reference data (types, statuses, users, ...)."""
