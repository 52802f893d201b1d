"""Leadbook: lead management with the CRM.COM Leads API v2 and an XML resource API."""

__version__ = "0.1.0"
