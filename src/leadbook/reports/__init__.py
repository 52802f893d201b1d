"""The reports face: the domain's reports as JSON or CSV (``/api/reports/…``)."""
