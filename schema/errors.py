"""Domain errors in GraphQL terms, in one place.

- Queries: a ``DomainError`` a resolver raises becomes a top-level error with ``extensions.code``
  (``UNAUTHENTICATED``, ``FORBIDDEN``, ``NOT_FOUND``, ``INVALID_INPUT`` ...) by the ``ErrorCodes`` schema
  extension; resolvers just raise.
- Mutations declared with ``@payload_mutation`` answer bad input as ``userErrors { field code message }`` in
  their payload (nothing was changed); authentication and permission problems stay top-level errors.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types.field import StrawberryField

from domain.errors import DomainError, InvalidInput, PermissionDenied, Unauthenticated


def code_for(exc: DomainError) -> str:
    if isinstance(exc, Unauthenticated):  # too many failed attempts from the caller's address: 429
        return "RATE_LIMITED" if exc.status == 429 else "UNAUTHENTICATED"
    if isinstance(exc, PermissionDenied):
        return "FORBIDDEN"
    return exc.code.upper()


def to_graphql_error(exc: DomainError, *, original: GraphQLError | None = None) -> GraphQLError:
    extensions: dict[str, object] = {"code": code_for(exc), "status": exc.status}
    if isinstance(exc, InvalidInput) and exc.field_errors:
        extensions["fields"] = {camel_field(f): m for f, m in exc.errors.items()}
    if original is None:
        return GraphQLError(exc.message, extensions=extensions)
    return GraphQLError(
        exc.message,
        nodes=original.nodes,
        source=original.source,
        positions=original.positions,
        path=original.path,
        extensions=extensions,
    )


@strawberry.type(description="A problem with the input of a mutation; nothing was changed.")
class UserError:
    field: str | None
    code: str
    message: str


@strawberry.type
class Payload:
    """What every mutation answers besides its result: the problems with its input, when nothing changed.
    Each mutation's payload subclasses it and adds its result fields (null when there are userErrors)."""

    user_errors: list[UserError] = strawberry.field(default_factory=list)


def camel_field(field: str | None, renames: Mapping[str, str] | None = None) -> str | None:
    """A domain field path (``brand_id``, ``category_ids.0``) as the GraphQL input names it (``brandId``)."""
    if field is None or field == "":
        return None
    head, dot, rest = field.partition(".")
    head = (renames or {}).get(head) or re.sub(r"_([a-z])", lambda m: m.group(1).upper(), head)
    return head + dot + rest


def user_errors(exc: DomainError, renames: Mapping[str, str] | None = None, *, camel: bool = True) -> list[UserError]:
    """Input problems become userErrors; authentication and permission problems stay top-level.
    ``camel=False`` keeps the input's own field names (JSON inputs, whose keys are not GraphQL fields)."""
    if isinstance(exc, Unauthenticated | PermissionDenied):
        raise exc
    code = code_for(exc)
    if isinstance(exc, InvalidInput) and exc.field_errors:
        return [
            UserError(field=camel_field(e.field, renames) if camel else (e.field or None), code=code, message=e.message)
            for e in exc.field_errors
        ]
    return [UserError(field=None, code=code, message=exc.message)]


class UserErrors(FieldExtension):
    """Answers a mutation's domain errors as its payload's ``userErrors`` (the payload's other fields null)."""

    def __init__(self, renames: Mapping[str, str] | None = None, *, camel: bool = True) -> None:
        self.renames = dict(renames or {})
        self.camel = camel
        self.payload: Callable[..., Any] | None = None

    def apply(self, field: StrawberryField) -> None:
        payload = field.type
        if not callable(payload):
            raise TypeError(f"{field.python_name}: a payload mutation must return a payload type")
        self.payload = payload

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as exc:
            assert self.payload is not None
            return self.payload(user_errors=user_errors(exc, self.renames, camel=self.camel))


def payload_mutation(
    *, description: str | None = None, renames: Mapping[str, str] | None = None, camel: bool = True
) -> Callable[[Callable[..., Awaitable[Any]]], Any]:
    """``@strawberry.mutation`` whose domain errors become ``userErrors`` (``renames``: domain field name →
    GraphQL input field name where they differ by more than camelCase; ``camel=False``: the input's own
    names, for JSON inputs whose keys are not GraphQL fields)."""

    def decorate(resolver: Callable[..., Awaitable[Any]]) -> Any:
        return strawberry.mutation(resolver, description=description, extensions=[UserErrors(renames, camel=camel)])

    return decorate
