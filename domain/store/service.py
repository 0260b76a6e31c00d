"""Rules for the store's settings and its store-level endpoints (info, stats, warnings, locales, clean).
The catalog's numbers and clean-up come from the catalog's services. Services never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.catalog.maintenance import CatalogCleaner, CatalogStats
from domain.store import settings as defs
from domain.store.commands import CleanCommand
from domain.store.locales import Locale, locales_for
from domain.store.repository import StoreRepository


@dataclass(frozen=True)
class StoreInfo:
    name: str | None
    url: str
    niche: str | None
    live: bool
    default_country: str
    enabled_countries: list[str]
    version: str
    cart_enabled: bool
    advanced_mode: bool


@dataclass(frozen=True)
class StoreStats:
    brands: int
    articles: int
    products: int
    categories: int
    offers: int
    articles_generated: int


@dataclass(frozen=True)
class StoreWarning:
    message: str
    action: str
    url: str


class StoreService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = StoreRepository(session)
        self.accounts = AccountsRepository(session)
        self.catalog = CatalogStats(session)
        self.cleaner = CatalogCleaner(session)

    # --- settings -------------------------------------------------------------------------------

    async def _values(self, workspace_id: str) -> dict[str, Any]:
        """Every documented setting: stored values over defaults (the store name defaults to the workspace's)."""
        stored = await self.repo.settings(workspace_id)
        out: dict[str, Any] = {}
        for group, settings in defs.GROUPS.items():
            for name, setting in settings.items():
                key = defs.flat_key(group, name)
                value = stored.get(key)
                if value is None:
                    value = list(setting.default) if isinstance(setting.default, list) else setting.default
                out[key] = value
        if out["store_name"] is None:
            workspace = await self.accounts.get_workspace(workspace_id)
            out["store_name"] = workspace.name if workspace else None
        return out

    async def all_settings_unchecked(self, workspace_id: str) -> dict[str, Any]:
        """For other store rules that read a setting (the login link's store URL); no permission check."""
        return await self._values(workspace_id)

    async def all_settings(self, principal: Principal) -> dict[str, Any]:
        principal.require("store.settings.read")
        return await self._values(principal.workspace_id)

    async def group_settings(self, principal: Principal, group: str) -> dict[str, Any]:
        principal.require("store.settings.read")
        defs.require_group(group)
        values = await self._values(principal.workspace_id)
        prefix = f"{group}_"
        return {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix) and defs.split_key(k)}

    async def update_settings(
        self, principal: Principal, values: Mapping[str, Any], group: str | None = None
    ) -> dict[str, Any]:
        """Flat ``{group}_{setting}`` keys, or ``group``'s keys without the prefix; the settings saved (as
        ``all_settings`` or ``group_settings`` reads them). Every key and value is checked before anything is
        written."""
        principal.require("store.settings.manage")
        await self.repo.save_settings(principal.workspace_id, defs.read_changes(values, group))
        if group is None:
            return await self._values(principal.workspace_id)
        return await self.group_settings(principal, group)

    # --- store ----------------------------------------------------------------------------------

    async def is_up(self) -> bool:
        return await self.repo.ping()

    async def info(self, principal: Principal, *, version: str, fallback_url: str) -> StoreInfo:
        principal.require("store.store.read")
        values = await self._values(principal.workspace_id)
        return StoreInfo(
            name=values["store_name"],
            url=values["store_url"] or fallback_url,
            niche=values["store_niche"],
            live=values["store_live"],
            default_country=values["store_default_country"],
            enabled_countries=values["store_enabled_countries"],
            version=version,
            cart_enabled=values["store_cart_enabled"],
            advanced_mode=values["store_advanced_mode"],
        )

    async def stats(self, principal: Principal) -> StoreStats:
        principal.require("store.store.read")
        catalog = await self.catalog.totals(principal)
        articles, generated = await self.repo.article_totals(principal.workspace_id)
        return StoreStats(
            brands=catalog.brands,
            articles=articles,
            products=catalog.products,
            categories=catalog.categories,
            offers=catalog.offers,
            articles_generated=generated,
        )

    async def locales(self, principal: Principal) -> dict[str, Locale]:
        principal.require("store.store.read")
        values = await self._values(principal.workspace_id)
        return locales_for(values["store_enabled_countries"])

    async def warnings(self, principal: Principal) -> list[StoreWarning]:
        """What stands between this store and working as intended, most important first."""
        principal.require("store.store.read")
        values = await self._values(principal.workspace_id)
        found: list[StoreWarning] = []
        if values["offers_amazon_enabled"] and not values["offers_amazon_affiliate_tag"]:
            found.append(
                StoreWarning(
                    "To get paid for your Amazon sales you need to add an Amazon Affiliate Tag",
                    "Find Out More",
                    "/admin/store-health",
                )
            )
        if not values["store_live"]:
            found.append(StoreWarning("Your store is offline: visitors cannot see it", "Go Live", "/admin/settings"))
        if not values["store_niche"]:
            found.append(
                StoreWarning(
                    "Set your store's niche so that generated content fits your audience",
                    "Set Niche",
                    "/admin/settings",
                )
            )
        if (await self.catalog.totals(principal)).products == 0:
            found.append(StoreWarning("Your store has no products yet", "Add Products", "/admin/products"))
        return found

    async def clean(self, principal: Principal, command: CleanCommand) -> dict[str, int]:
        """The store's clean-up is the catalog's (see ``CatalogCleaner`` for the operations and their order)."""
        principal.require("store.store.manage")
        return await self.cleaner.clean(principal, command.operations)
