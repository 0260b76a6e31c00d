"""Errors the domain raises. Surfaces translate them into their own dialect; they never decide."""

from __future__ import annotations


class DomainError(Exception):
    """Base for expected failures. ``code`` is stable and machine-readable."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str, *, permission: str | None = None, write: bool = False) -> None:
        super().__init__(message)
        self.permission = permission
        self.write = write


class NotFound(DomainError):
    """Also raised for another workspace's objects, so their existence never leaks."""

    status = 404
    code = "not_found"


class InvalidInput(DomainError):
    """Bad input. ``errors`` maps a field path to its messages."""

    status = 422
    code = "invalid_input"

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.errors = errors or {}

    @classmethod
    def field(cls, field: str, message: str, *, code: str | None = None) -> InvalidInput:
        return cls(message, errors={field: [message]}, code=code)


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PaymentRequired(DomainError):
    status = 402
    code = "insufficient_credits"


class ProviderRequired(DomainError):
    """The task cannot be done honestly without a configured provider."""

    status = 503
    code = "provider_required"
