"""The store content's per-request DataLoaders (article → categories, category → parent, articles_count).

Keys carry the workspace id next to the object id, so a loader never returns another tenant's rows even
though it is built before the caller is known."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader

from domain.store.models import ArticleCategory
from resolvers import store
from resolvers.context import AppServices

V = TypeVar("V")

Key = tuple[str, int]


def _loader(
    fetch: Callable[[str, Sequence[int]], Awaitable[dict[int, V]]], missing: Callable[[], V]
) -> DataLoader[Key, V]:
    async def load(keys: list[Key]) -> list[V]:
        by_workspace: dict[str, list[int]] = {}
        for workspace_id, object_id in keys:
            by_workspace.setdefault(workspace_id, []).append(object_id)
        found: dict[Key, V] = {}
        for workspace_id, ids in by_workspace.items():
            for object_id, value in (await fetch(workspace_id, ids)).items():
                found[(workspace_id, object_id)] = value
        return [found[k] if k in found else missing() for k in keys]

    return DataLoader(load_fn=load)


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
        article_categories=_loader(categories, list),
        article_category=_loader(category, lambda: None),
        articles_count=_loader(counts, lambda: 0),
    )
