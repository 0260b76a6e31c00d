"""DataLoaders keyed by ``(workspace id, object id)``, shared by the areas' per-request loaders.

The key carries the workspace next to the object id, so a loader can never return another tenant's rows even
though it is built before the caller is known; a batch holds one workspace in practice, but is grouped by
workspace all the same (one fetch, so one ``IN (...)`` query, per workspace).
"""

from __future__ import annotations

import asyncio
from asyncio import Future
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from strawberry.dataloader import AbstractCache, DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Key = tuple[str, int]


def workspace_loader(
    fetch: Callable[[str, Sequence[int]], Awaitable[dict[int, V]]], missing: Callable[[], V]
) -> DataLoader[Key, V]:
    """``fetch(workspace_id, ids)`` answers what it found; ``missing()`` stands in for every other key."""

    async def load(keys: list[Key]) -> list[V]:
        by_workspace: dict[str, list[int]] = {}
        for workspace_id, object_id in keys:
            by_workspace.setdefault(workspace_id, []).append(object_id)
        found: dict[Key, V] = {}
        for workspace_id, ids in by_workspace.items():
            for object_id, value in (await fetch(workspace_id, ids)).items():
                found[(workspace_id, object_id)] = value
        return [found[k] if k in found else missing() for k in keys]

    return DataLoader(load_fn=load, cache_map=HeldCache())


class HeldCache(AbstractCache[K, V]):
    """A DataLoader's cache that also holds plain values (``hold``): a held value becomes the done future a
    ``load`` answers with only when a ``load`` asks for it. ``resolvers.loaders.load_all`` holds what it fetched
    for a whole page (a future and a callback per key cost a tenth of a page's relations), and most of it is
    never loaded again."""

    def __init__(self) -> None:
        self.futures: dict[K, Future[V]] = {}
        self.values: dict[K, V] = {}

    def hold(self, values: Mapping[K, V]) -> None:
        """Keep ``values`` for later loads (a key already loading or loaded keeps its future, as priming does)."""
        self.values.update(values)

    def get(self, key: K) -> Future[V] | None:
        future = self.futures.get(key)
        if future is None and key in self.values:
            future = asyncio.get_running_loop().create_future()
            future.set_result(self.values.pop(key))
            self.futures[key] = future
        return future

    def set(self, key: K, value: Future[V]) -> None:
        self.futures[key] = value

    def delete(self, key: K) -> None:
        self.futures.pop(key, None)
        self.values.pop(key, None)

    def clear(self) -> None:
        self.futures.clear()
        self.values.clear()
