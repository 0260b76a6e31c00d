"""The store content's per-request DataLoaders (article → categories, category → parent, articles_count).

Keys carry the workspace id next to the object id, so a loader never returns another tenant's rows even
though it is built before the caller is known."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from domain.store.models import ArticleCategory
from domain.store.repository import StoreRepository
from resolvers.context import RequestScope
from resolvers.workspace_loaders import Key, workspace_loader


@dataclass
class StoreLoaders:
    article_categories: DataLoader[Key, list[ArticleCategory]]
    article_category: DataLoader[Key, ArticleCategory | None]
    articles_count: DataLoader[Key, int]


def build_store_loaders(scope: RequestScope) -> StoreLoaders:
    async def categories(ws: str, ids: Sequence[int]) -> dict[int, list[ArticleCategory]]:
        return await scope.read(lambda s: StoreRepository(s).categories_of_articles(ws, list(ids)))

    async def category(ws: str, ids: Sequence[int]) -> dict[int, ArticleCategory | None]:
        return dict(await scope.read(lambda s: StoreRepository(s).by_ids(ArticleCategory, ws, list(ids))))

    async def counts(ws: str, ids: Sequence[int]) -> dict[int, int]:
        return await scope.read(lambda s: StoreRepository(s).articles_counts(ws, list(ids)))

    return StoreLoaders(
        article_categories=workspace_loader(categories, list),
        article_category=workspace_loader(category, lambda: None),
        articles_count=workspace_loader(counts, lambda: 0),
    )
