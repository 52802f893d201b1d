"""Domain errors: each carries a stable code that every face maps to its own wire format."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. ``code`` is stable and machine readable."""

    code = "GENERAL_ERROR"
    http_status = 400

    def __init__(self, message: str, description: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.description = description


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
