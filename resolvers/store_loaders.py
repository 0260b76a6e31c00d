"""The store content's per-request DataLoaders (article → categories, category → parent, articles_count).

Keys carry the workspace id next to the object id, so a loader never returns another tenant's rows even
though it is built before the caller is known."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from domain.store.models import ArticleCategory
from resolvers import store
from resolvers.context import AppServices
from resolvers.workspace_loaders import Key, workspace_loader


@dataclass
class StoreLoaders:
    article_categories: DataLoader[Key, list[ArticleCategory]]
    article_category: DataLoader[Key, ArticleCategory | None]
    articles_count: DataLoader[Key, int]


def build_store_loaders(services: AppServices) -> StoreLoaders:
    async def categories(ws: str, ids: Sequence[int]) -> dict[int, list[ArticleCategory]]:
        return await store.categories_of_articles_in(services, ws, ids)

    async def category(ws: str, ids: Sequence[int]) -> dict[int, ArticleCategory | None]:
        return dict(await store.article_categories_in(services, ws, ids))

    async def counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await store.articles_counts_in(services, ws, ids)

    return StoreLoaders(
        article_categories=workspace_loader(categories, list),
        article_category=workspace_loader(category, lambda: None),
        articles_count=workspace_loader(counts, lambda: 0),
    )
