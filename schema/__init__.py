"""The GraphQL contract. ``schema.graphql`` beside this file is exported from it and committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.accounts import ApiKey, User, Workspace
from schema.catalog import CatalogMutation, CatalogQuery
from schema.content import ContentMutation, ContentQuery
from schema.jobs import Job
from schema.mutation import CoreMutation
from schema.query import CoreQuery
from schema.store import StoreMutation, StoreQuery
from schema.subscription import CoreSubscription

# Each area contributes its own root types; they are merged here (one line per area).
Query = merge_types("Query", (CoreQuery, CatalogQuery, StoreQuery, ContentQuery))
Mutation = merge_types("Mutation", (CoreMutation, CatalogMutation, StoreMutation, ContentMutation))
Subscription = merge_types("Subscription", (CoreSubscription,))

SDL_PATH = Path(__file__).with_name("schema.graphql")
log = logging.getLogger("shopwright.graphql")


def _unexpected(error: GraphQLError) -> bool:
    """An exception no resolver meant to raise (domain errors arrive as GraphQLErrors with a code)."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


class ShopwrightSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Expected errors (bad input, missing credentials, unknown ids) are answers, not incidents.
        for error in errors:
            if _unexpected(error):
                log.error("unexpected GraphQL error", exc_info=error.original_error)


def build_schema(*, introspection: bool = True, max_depth: int = 12) -> strawberry.Schema:
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        lambda: MaxTokensLimiter(max_token_count=5000),
        lambda: MaskErrors(should_mask_error=_unexpected, error_message="Internal server error."),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return ShopwrightSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Job, Workspace, User, ApiKey],
        extensions=extensions,
    )


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
