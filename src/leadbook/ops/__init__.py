"""Operator tooling: bulk import and export of leads, backups."""
