"""Domain errors in GraphQL terms: top-level errors with an ``extensions.code``, or ``userErrors``."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from domain.errors import DomainError, InvalidInput, PermissionDenied, Unauthenticated

T = TypeVar("T")


def code_for(exc: DomainError) -> str:
    if isinstance(exc, Unauthenticated):
        return "UNAUTHENTICATED"
    if isinstance(exc, PermissionDenied):
        return "FORBIDDEN"
    return exc.code.upper()


def to_graphql_error(exc: DomainError) -> GraphQLError:
    extensions: dict[str, object] = {"code": code_for(exc), "status": exc.status}
    if isinstance(exc, InvalidInput) and exc.errors:
        extensions["fields"] = exc.errors
    return GraphQLError(exc.message, extensions=extensions)


async def call(fn: Callable[[], Awaitable[T]]) -> T:
    """Run a resolver call, turning domain errors into GraphQL errors with a code."""
    try:
        return await fn()
    except DomainError as exc:
        raise to_graphql_error(exc) from None


@strawberry.type(description="A problem with the input of a mutation; nothing was changed.")
class UserError:
    field: str | None
    code: str
    message: str


def camel_field(field: str | None) -> str | None:
    """A domain field path (``brand_id``, ``category_ids.0``) as the GraphQL input names it (``brandId``)."""
    if field is None:
        return None
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), field)


async def attempt(
    fn: Callable[[], Awaitable[T]], *, field_name: Callable[[str | None], str | None] = camel_field
) -> tuple[T | None, list[UserError]]:
    """Run a mutation; domain errors become userErrors naming GraphQL input fields (``field_name``)."""
    try:
        return await fn(), []
    except DomainError as exc:
        return None, [UserError(field=field_name(e.field), code=e.code, message=e.message) for e in user_errors(exc)]


def user_errors(exc: DomainError) -> list[UserError]:
    """Input problems become userErrors; authentication and permission problems stay top-level."""
    if isinstance(exc, Unauthenticated | PermissionDenied):
        raise to_graphql_error(exc)
    if isinstance(exc, InvalidInput) and exc.errors:
        return [
            UserError(field=field, code=code_for(exc), message=message)
            for field, messages in exc.errors.items()
            for message in messages
        ]
    return [UserError(field=None, code=code_for(exc), message=exc.message)]
