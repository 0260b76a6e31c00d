"""Errors the domain raises. Surfaces translate them into their own dialect; they never decide.

Bad input is structured: an ``InvalidInput`` holds one ``FieldError`` per problem (where, which rule, the
rule's parameters, and a plain sentence). Each surface renders those in its own words — the store API in
Laravel's, GraphQL as ``userErrors`` — so the domain never writes a surface's message text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Loc = tuple[str | int, ...]


class DomainError(Exception):
    """Base for expected failures. ``code`` is stable and machine-readable; ``status`` is the HTTP status the
    surfaces answer with. A subclass sets them in its header: ``class Conflict(DomainError, status=409,
    code="conflict")``."""

    status = 400
    code = "bad_request"

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Unauthenticated(DomainError, status=401, code="unauthenticated"):
    """No credentials, or ones that name no one."""


class PermissionDenied(DomainError, status=403, code="forbidden"):
    """The caller may not do this (``permission``: the one missing; ``write``: a write was refused)."""

    def __init__(self, message: str, *, permission: str | None = None, write: bool = False) -> None:
        super().__init__(message)
        self.permission = permission
        self.write = write


class NotFound(DomainError, status=404, code="not_found"):
    """Also raised for another workspace's objects, so their existence never leaks."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    ``loc`` is the path in the input's own names (``("category_ids", 0)``); ``rule`` is a stable name
    (``required``, ``string``, ``max_length``, ``exists``, ``unique`` ...; see ``domain.validation``);
    ``params`` are the rule's parameters (``{"max": 255}``); ``message`` is a plain sentence for surfaces
    that have no words of their own for the rule.
    """

    loc: Loc
    rule: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def field(self) -> str:
        """The path with dots: ``category_ids.0``."""
        return ".".join(str(part) for part in self.loc)

    @property
    def head(self) -> str:
        """The top-level field the problem is in."""
        return str(self.loc[0]) if self.loc else ""


class InvalidInput(DomainError, status=422, code="invalid_input"):
    """Bad input: every problem found, as ``FieldError``s. ``message`` is a plain summary."""

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Iterable[FieldError] = (),
        code: str | None = None,
    ) -> None:
        self.field_errors: tuple[FieldError, ...] = tuple(errors)
        if message is None:
            message = self.field_errors[0].message if self.field_errors else "The input is invalid."
        super().__init__(message, code=code)

    @classmethod
    def field(
        cls,
        loc: str | Sequence[str | int],
        message: str,
        *,
        rule: str = "invalid",
        params: Mapping[str, Any] | None = None,
        code: str | None = None,
    ) -> InvalidInput:
        path: Loc = tuple(loc.split(".")) if isinstance(loc, str) else tuple(loc)
        return cls(errors=[FieldError(path, rule, message, dict(params or {}))], code=code)

    @property
    def errors(self) -> dict[str, list[str]]:
        """Field path → plain messages, in the order found."""
        out: dict[str, list[str]] = {}
        for error in self.field_errors:
            out.setdefault(error.field, []).append(error.message)
        return out


class Problems:
    """Collects ``FieldError``s while a rule checks several fields, then raises them together."""

    def __init__(self, errors: Iterable[FieldError] = ()) -> None:
        self.items: list[FieldError] = list(errors)

    def add(
        self, loc: str | Sequence[str | int], rule: str, message: str, params: Mapping[str, Any] | None = None
    ) -> None:
        path: Loc = tuple(loc.split(".")) if isinstance(loc, str) else tuple(loc)
        self.items.append(FieldError(path, rule, message, dict(params or {})))

    def extend(self, errors: Iterable[FieldError]) -> None:
        self.items.extend(errors)

    def has(self, head: str) -> bool:
        return any(e.head == head for e in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, *, code: str | None = None) -> None:
        if self.items:
            raise InvalidInput(errors=self.items, code=code)


class Conflict(DomainError, status=409, code="conflict"):
    """The change clashes with the current state (a taken value, a concurrent change)."""


class PaymentRequired(DomainError, status=402, code="insufficient_credits"):
    """The workspace has too few credits for the task."""


class ProviderRequired(DomainError, status=503, code="provider_required"):
    """The task cannot be done honestly without a configured provider."""
