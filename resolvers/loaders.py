"""Per-operation DataLoaders, one per relation, each one ``IN (...)`` query on the operation's read session.
Never shared across requests or tenants: they are built with the operation's ``RequestScope``."""

from __future__ import annotations

from dataclasses import dataclass, fields

from strawberry.dataloader import DataLoader

from domain.accounts.models import User
from domain.accounts.repository import AccountsRepository
from resolvers.catalog_loaders import CatalogLoaders, build_catalog_loaders
from resolvers.context import RequestScope
from resolvers.store_loaders import StoreLoaders, build_store_loaders


@dataclass
class Loaders:
    user: DataLoader[int, User | None]
    catalog: CatalogLoaders
    store: StoreLoaders

    def __init__(self, scope: RequestScope) -> None:
        async def load_users(ids: list[int]) -> list[User | None]:
            found = await scope.read(lambda s: AccountsRepository(s).users_by_ids(ids))
            return [found.get(i) for i in ids]

        self.user = DataLoader(load_fn=load_users)
        self.catalog = build_catalog_loaders(scope)
        self.store = build_store_loaders(scope)

    def clear(self) -> None:
        """Forget what was loaded (after a write in the same operation)."""
        self.user.clear_all()
        for group in (self.catalog, self.store):
            for f in fields(group):
                getattr(group, f.name).clear_all()
