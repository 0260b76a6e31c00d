"""DataLoaders keyed by ``(workspace id, object id)``, shared by the areas' per-request loaders.

The key carries the workspace next to the object id, so a loader can never return another tenant's rows even
though it is built before the caller is known; a batch holds one workspace in practice, but is grouped by
workspace all the same (one fetch, so one ``IN (...)`` query, per workspace).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

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

    return DataLoader(load_fn=load)
