"""Per-operation DataLoaders, one per relation, each one ``IN (...)`` query on the operation's read session.
Never shared across requests or tenants: they are built with the operation's ``RequestScope``."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import fields
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from domain.accounts.models import User
from domain.accounts.repository import AccountsRepository
from resolvers.catalog_loaders import CatalogLoaders, build_catalog_loaders
from resolvers.context import RequestScope
from resolvers.store_loaders import StoreLoaders, build_store_loaders
from resolvers.workspace_loaders import HeldCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Loaders:
    """An operation's DataLoaders, each group built when first used: most operations use one group or none, and
    building every loader of every group was a few per cent of a small request."""

    def __init__(self, scope: RequestScope) -> None:
        self._scope = scope

    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        scope = self._scope

        async def load_users(ids: list[int]) -> list[User | None]:
            found = await scope.read(lambda s: AccountsRepository(s).users_by_ids(ids))
            return [found.get(i) for i in ids]

        return DataLoader(load_fn=load_users)

    @cached_property
    def catalog(self) -> CatalogLoaders:
        return build_catalog_loaders(self._scope)

    @cached_property
    def store(self) -> StoreLoaders:
        return build_store_loaders(self._scope)

    def clear(self) -> None:
        """Forget what was loaded (after a write in the same operation)."""
        built = vars(self)  # the groups built so far (``cached_property`` keeps them there)
        if "user" in built:
            self.user.clear_all()
        for name in ("catalog", "store"):
            group = built.get(name)
            if group is not None:
                for f in fields(group):
                    getattr(group, f.name).clear_all()


async def load_all(loader: DataLoader[K, V], keys: Sequence[K]) -> list[V]:
    """``loader.load_many(keys)`` for many keys at once without a future and a callback per key: what the
    loader holds already (or is loading) is taken from it; the other keys are fetched now in one call of its
    batch function and primed into it, so later loads of them in the operation get the same values (held as
    plain values by a ``HeldCache``, made futures only if loaded again)."""
    cache = loader.cache_map if loader.cache else None
    held, loading = (cache.values, cache.futures) if isinstance(cache, HeldCache) else ({}, {})
    cached: dict[K, Any] = {}
    missing: list[K] = []
    found: dict[K, V] = {}
    for key in dict.fromkeys(keys):
        if key in held and key not in loading:  # held, not loaded since: as it is
            found[key] = held[key]
            continue
        future = cache.get(key) if cache is not None else None
        if future is not None and not future.cancelled():
            cached[key] = future
        else:
            missing.append(key)
    if missing:
        values = list(await loader.load_fn(missing))
        if len(values) != len(missing):
            raise ValueError(f"a batch of {len(missing)} keys answered {len(values)} values")
        fetched: dict[K, V] = {}
        for key, value in zip(missing, values, strict=True):
            if isinstance(value, BaseException):
                raise value
            fetched[key] = value
        found.update(fetched)
        batch = loader.batch
        if isinstance(cache, HeldCache) and (batch is None or batch.dispatched):
            cache.hold(fetched)  # no load waits on a batch not yet sent: held as values
        else:
            loader.prime_many(fetched)  # (also answers a waiting load of one of these keys)
    for key, future in cached.items():
        found[key] = await future
    return [found[key] for key in keys]
