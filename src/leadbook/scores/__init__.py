"""The scores face: leads by score and a score explained, as JSON (``/api/leads``)."""
