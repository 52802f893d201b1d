"""Errors only the XML face raises; they are DomainErrors, so the request rolls back."""

from __future__ import annotations

from leadbook.domain.errors import DomainError


class MalformedXml(DomainError):
    """The body is not a well-formed ``<lead>`` document (or carries a DTD)."""

    code = "MALFORMED_XML"
    http_status = 400
