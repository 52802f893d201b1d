"""The saved views API (``/api/views``): the lead list's saved filters over HTTP."""
