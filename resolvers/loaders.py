"""Per-request DataLoaders, one per relation, each one ``IN (...)`` query. Never shared across requests."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from domain.accounts.models import User
from resolvers import accounts
from resolvers.catalog_loaders import CatalogLoaders, build_catalog_loaders
from resolvers.context import AppServices
from resolvers.store_loaders import StoreLoaders, build_store_loaders


@dataclass
class Loaders:
    user: DataLoader[int, User | None]
    catalog: CatalogLoaders
    store: StoreLoaders


def build_loaders(services: AppServices) -> Loaders:
    async def load_users(ids: list[int]) -> list[User | None]:
        return await accounts.users_by_ids(services, ids)

    return Loaders(
        user=DataLoader(load_fn=load_users),
        catalog=build_catalog_loaders(services),
        store=build_store_loaders(services),
    )
