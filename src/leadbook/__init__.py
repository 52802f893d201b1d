"""Leadbook: lead management with the CRM.COM Leads API v2 and an XML resource API."""

from importlib.metadata import version

__version__ = version("leadbook")  # one place: pyproject.toml's [project] version
