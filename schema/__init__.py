"""The GraphQL contract. ``schema.graphql`` beside this file is exported from it and committed."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.accounts import AccountsMutation, AccountsQuery, ApiKey, User, Workspace
from schema.analytics import AnalyticsQuery
from schema.catalog import CatalogMutation, CatalogQuery
from schema.content import ContentMutation, ContentQuery
from schema.cost import Limits
from schema.credits import CreditsMutation, CreditsQuery
from schema.extensions import (
    DocumentCache,
    ErrorCodes,
    OperationLimits,
    OperationScope,
    SubscriptionsOverWebSocket,
    TextOnly,
)
from schema.fanout import SharedEventExecution
from schema.jobs import Job, JobMutation, JobQuery, JobSubscription
from schema.listing import ListingMutation, ListingQuery
from schema.marketing import MarketingMutation, MarketingQuery
from schema.query import NodeQuery
from schema.spaces import SpacesMutation, SpacesQuery
from schema.store import StoreMutation, StoreQuery
from schema.store_ops import StoreOpsMutation, StoreOpsQuery
from schema.store_ops_merchants import MerchantsMutation, MerchantsQuery

# Each area contributes its own root types; they are merged here (one line per area).
Query = merge_types(
    "Query",
    (
        AccountsQuery,
        NodeQuery,
        JobQuery,
        CatalogQuery,
        StoreQuery,
        ContentQuery,
        ListingQuery,
        MarketingQuery,
        CreditsQuery,
        AnalyticsQuery,
        SpacesQuery,
        MerchantsQuery,
        StoreOpsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        JobMutation,
        AccountsMutation,
        CatalogMutation,
        StoreMutation,
        ContentMutation,
        ListingMutation,
        CreditsMutation,
        MarketingMutation,
        SpacesMutation,
        MerchantsMutation,
        StoreOpsMutation,
    ),
)
Subscription = merge_types("Subscription", (JobSubscription,))

SDL_PATH = Path(__file__).with_name("schema.graphql")


class ShopwrightSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # ErrorCodes logs what is unexpected; expected errors (bad input, missing credentials) are answers.
        return None


@cache  # building is pure and takes tens of milliseconds; apps with the same options share one schema
def build_schema(*, introspection: bool = True, limits: Limits = Limits()) -> strawberry.Schema:
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        DocumentCache,  # each document text parsed once; validated once (OperationLimits keeps which passed)
        OperationScope,
        SubscriptionsOverWebSocket,
        TextOnly,
        # Depth, aliases and cost in one linear pass (Strawberry's depth and alias limiters follow every
        # fragment spread anew: exponential in a document whose fragments each spread the next twice).
        lambda: OperationLimits(limits),
        lambda: MaxTokensLimiter(max_token_count=5000),
        ErrorCodes,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return ShopwrightSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Job, Workspace, User, ApiKey],
        extensions=extensions,
        execution_context_class=SharedEventExecution,  # one execution per event for identical subscriptions
    )


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
