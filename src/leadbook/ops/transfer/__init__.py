"""Leads in and out as CSV or JSON, streamed: neither direction holds all rows in memory.

Export writes one row per lead with the columns below; import reads the same columns, so
an export imports back. Each imported row goes through the domain (the same rules as the
APIs) inside its own savepoint: a refused row is reported and leaves nothing behind.
"""
