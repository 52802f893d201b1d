"""Reports over leads and their history (docs/reports.md): the funnel of a lead type,
conversion and win rates by source, time to win and in each status, activity per user.
Each reads the summaries kept with every change (lead_stages, the leads' own columns, the
audit trail) through indexes, over the leads its actor may see (access.visible; the funnel,
time in status and activity by the copy of the lead's columns their rows carry, one read
per part of the rule: access.parts)."""
