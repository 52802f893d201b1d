"""Domain errors: each carries a stable code that every face maps to its own wire format."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A request the rules refuse. ``code`` is stable and machine readable.

    ``field`` names the field at fault by its domain name (a Lead attribute such as
    ``type`` or ``lost_reason``; a dotted path inside one, ``contact.first_name``). The
    message says ``{field}`` where it names it, so each face words it with its own name
    for the field (``worded``); ``message`` uses the domain's name.
    """

    code = "GENERAL_ERROR"
    http_status = 400

    def __init__(self, message: str, description: str = "", *, field: str | None = None):
        super().__init__(message)
        self.template = message
        self.description = description
        self.field = field

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """Returns the message naming the field by its domain name."""
        return self.worded({})

    def worded(self, names: Mapping[str, str]) -> str:
        """Returns the message naming the field as ``names`` (a face's table) calls it."""
        if self.field is None:
            return self.template
        return self.template.replace("{field}", wire_name(self.field, names), 1)


def wire_name(field: str, names: Mapping[str, str]) -> str:
    """Returns a face's name for ``field``: its entry in ``names``, else the entry of its
    first part followed by the rest (``contact.first_name``), else the field itself."""
    if field in names:
        return names[field]
    head, dot, rest = field.partition(".")
    return names[head] + dot + rest if dot and head in names else field


class MandatoryParameterMissing(DomainError):
    code = "MANDATORY_PARAMETER_MISSING"


class InvalidValue(DomainError):
    code = "INVALID_VALUE"
    http_status = 422


class InvalidIdentifier(DomainError):
    code = "INVALID_IDENTIFIER"


class NotFound(DomainError):
    code = "NOT_FOUND"
    http_status = 404


class InvalidLifeCycleState(DomainError):
    code = "INVALID_LIFE_CYCLE_STATE"
    http_status = 409


class Conflict(DomainError):
    """A write based on a stale read of the lead, or a duplicate."""

    code = "CONFLICT"
    http_status = 409


class AuthenticationFailed(DomainError):
    code = "INVALID_TOKEN"
    http_status = 401


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"
    http_status = 403


class MethodNotAllowed(DomainError):
    """A path that exists, asked with a method it does not answer."""

    code = "METHOD_NOT_ALLOWED"
    http_status = 405


class RequestTooLarge(DomainError):
    """A request body over the configured cap (LEADBOOK_MAX_BODY_BYTES)."""

    code = "REQUEST_TOO_LARGE"
    http_status = 413


class LeadMerged(Conflict):
    """A lead merged into another, named where a live lead is needed: reads point to
    ``survivor`` (the lead it was merged into, at the end of any chain of merges)."""

    def __init__(self, number: int, survivor: int, *, field: str | None = None):
        where = "{field}: l" if field else "L"
        super().__init__(f"{where}ead {number} was merged into lead {survivor}", field=field)
        self.number = number
        self.survivor = survivor
