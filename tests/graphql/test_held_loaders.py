"""``resolvers.loaders.load_all`` with a ``HeldCache``: what a page fetched at once is kept as plain values, and a
later load of one of its keys answers the same value without another batch; a key loaded, cleared or already
loading behaves as with Strawberry's own cache."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from resolvers.loaders import load_all
from resolvers.workspace_loaders import HeldCache, workspace_loader


def _loader(calls: list[list[int]]) -> DataLoader[tuple[str, int], str | None]:
    async def fetch(workspace_id: str, ids: Sequence[int]) -> dict[int, str | None]:
        calls.append(list(ids))
        return {i: f"{workspace_id}:{i}" for i in ids if i != 404}

    return workspace_loader(fetch, lambda: None)


def test_a_page_is_held_and_later_loads_take_it() -> None:
    async def run() -> None:
        calls: list[list[int]] = []
        loader = _loader(calls)
        assert isinstance(loader.cache_map, HeldCache)
        keys = [("w", 1), ("w", 2), ("w", 1), ("w", 404)]
        assert await load_all(loader, keys) == ["w:1", "w:2", "w:1", None]
        assert calls == [[1, 2, 404]]
        assert not loader.cache_map.futures  # held as values, no future made
        assert await load_all(loader, [("w", 2), ("w", 3)]) == ["w:2", "w:3"]
        assert calls == [[1, 2, 404], [3]]  # only what was not held
        assert await loader.load(("w", 1)) == "w:1" and await loader.load(("w", 404)) is None
        assert calls == [[1, 2, 404], [3]]  # loads answered from what was held
        assert ("w", 1) in loader.cache_map.futures  # a future once loaded, as Strawberry's cache keeps
        loader.clear(("w", 1))
        assert await loader.load(("w", 1)) == "w:1" and calls[-1] == [1]
        loader.clear_all()
        assert await load_all(loader, [("w", 2)]) == ["w:2"] and calls[-1] == [2]

    asyncio.run(run())


def test_a_key_already_loading_is_awaited_not_fetched_again() -> None:
    async def run() -> None:
        calls: list[list[int]] = []
        loader = _loader(calls)
        pending = loader.load(("w", 7))  # scheduled in a batch
        assert await load_all(loader, [("w", 7), ("w", 8)]) == ["w:7", "w:8"]
        assert await pending == "w:7"
        assert sorted(map(sorted, calls)) == [[7], [8]]  # 7 once (its batch), 8 once (load_all)

    asyncio.run(run())
