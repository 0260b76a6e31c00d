"""Rules of the merchant operations: connecting merchants, the store's enabled merchants, and submitting import
links and fill categories as jobs (every input problem in one ``InvalidInput``, nothing written before)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.db import UnitOfWork
from domain.errors import InvalidInput, NotFound, Problems
from domain.jobs.models import Job
from domain.jobs.service import JobService
from domain.merchants.commands import FillCategoriesCommand, ImportLinksCommand
from domain.merchants.content import plan_content
from domain.merchants.jobs import FILL_CATEGORIES, IMPORT_LINKS, FillParams, ImportParams, LinkToImport
from domain.merchants.links import AMAZON_LOCALES, parse_link
from domain.merchants.models import MerchantConnection
from domain.merchants.ports import (
    ADAPTER_CREDENTIALS,
    ADAPTER_SETTINGS,
    ADAPTERS,
    API_NAMES,
    Connection,
    CredentialCipher,
)
from domain.merchants.repository import MerchantRepository
from domain.store.ai_billing import RELEVANCE_CHECK_CHIPS, credits_for_chips
from domain.store.locales import COUNTRY_CODES
from domain.store.repository import StoreRepository
from domain.store.settings import GROUPS

MANAGE_PRODUCTS = "store.products.manage"
MANAGE_CATEGORIES = "store.categories.manage"
READ_OFFERS = "store.offers.read"
MANAGE_SETTINGS = "store.settings.manage"
READ_SETTINGS = "store.settings.read"

# eBay's marketplaces by the store's locale (``X-EBAY-C-MARKETPLACE-ID``).
EBAY_MARKETPLACES: dict[str, str] = {
    "us": "EBAY_US",
    "gb": "EBAY_GB",
    "de": "EBAY_DE",
    "fr": "EBAY_FR",
    "it": "EBAY_IT",
    "es": "EBAY_ES",
    "au": "EBAY_AU",
    "ca": "EBAY_CA",
    "at": "EBAY_AT",
    "ch": "EBAY_CH",
    "ie": "EBAY_IE",
    "nl": "EBAY_NL",
    "pl": "EBAY_PL",
    "be": "EBAY_BE",
    "hk": "EBAY_HK",
    "sg": "EBAY_SG",
    "my": "EBAY_MY",
    "ph": "EBAY_PH",
}


def locales_of(api_name: str) -> frozenset[str]:
    """The locales a merchant sells in: Amazon's and eBay's marketplaces; any country for the others."""
    if api_name == "amazon":
        return AMAZON_LOCALES
    if api_name == "ebay":
        return frozenset(EBAY_MARKETPLACES)
    return frozenset(code.lower() for code in COUNTRY_CODES)


@dataclass(frozen=True)
class LinkReport:
    link: str
    asin: str | None
    locale: str | None
    status: str  # importing | duplicate | failed
    reason: str | None = None
    product_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"link": self.link, "asin": self.asin, "locale": self.locale, "status": self.status}
        if self.reason is not None:
            body["reason"] = self.reason
        if self.product_id is not None:
            body["product_id"] = self.product_id
        return body


@dataclass(frozen=True)
class ImportSubmitted:
    job: Job
    links: list[LinkReport]

    def counts(self) -> dict[str, int]:
        statuses = [r.status for r in self.links]
        return {
            "total": len(statuses),
            "importing": statuses.count("importing"),
            "duplicates": statuses.count("duplicate"),
            "failed": statuses.count("failed"),
        }


@dataclass(frozen=True)
class FillSubmitted:
    job: Job
    categories_queued: int
    quantity: int
    api_name: str
    locale: str
    credits: int


@dataclass(frozen=True)
class ConnectionView:
    merchant: str
    adapter: str
    settings: dict[str, Any]
    credential_names: list[str]
    updated_at: Any


async def enabled_merchants(session: AsyncSession, principal: Principal) -> dict[str, str]:
    """The merchants switched on in the store's offers settings (``offers_<merchant>_enabled``), by key, with
    their display names (``GET /api/offers/merchants``)."""
    principal.require(READ_OFFERS)
    stored = await StoreRepository(session).settings(principal.workspace_id)
    out: dict[str, str] = {}
    for merchant, name in {**API_NAMES, "custom": "Custom"}.items():
        setting = GROUPS["offers"][f"{merchant}_enabled"]
        value = stored.get(f"offers_{merchant}_enabled")
        if (setting.default if value is None else value) is True:
            out[merchant] = name
    return out


async def merchant_connections(session: AsyncSession, principal: Principal) -> list[ConnectionView]:
    principal.require(READ_SETTINGS)
    return [MerchantService.view(c) for c in await MerchantRepository(session).connections(principal.workspace_id)]


class MerchantService:
    def __init__(
        self,
        uow: UnitOfWork,
        *,
        cipher: CredentialCipher | None = None,
        chips_per_credit: int = 1000,
        plans: Mapping[str, int] | None = None,
    ) -> None:
        self.uow = uow
        self.repo = MerchantRepository(uow.session)
        self.store = StoreRepository(uow.session)
        self.cipher = cipher
        self.chips_per_credit = chips_per_credit
        self.plans = plans  # the debit of a paid job applies a due monthly renewal

    # --- connections -----------------------------------------------------------------------------------

    async def connect(
        self,
        principal: Principal,
        *,
        merchant: str,
        adapter: str,
        settings: Mapping[str, Any],
        credentials: Mapping[str, Any],
    ) -> ConnectionView:
        """Create or replace the workspace's connection to ``merchant``; credentials are stored encrypted."""
        principal.require(MANAGE_SETTINGS)
        problems = Problems()
        if merchant not in API_NAMES:
            problems.add("merchant", "in", "Unknown merchant.", {"values": list(API_NAMES)})
        if adapter not in ADAPTERS:
            problems.add("adapter", "in", "Unknown adapter.", {"values": list(ADAPTERS)})
        elif merchant in API_NAMES and merchant not in ADAPTERS[adapter]:
            problems.add("adapter", "in", f"{adapter} cannot serve {merchant}.", {"values": list(ADAPTERS[adapter])})
        clean_settings = self._strings("settings", settings, problems)
        clean_credentials = self._strings("credentials", credentials, problems)
        if adapter in ADAPTERS:
            required, optional = ADAPTER_SETTINGS[adapter]
            for name in required:
                if not clean_settings.get(name):
                    problems.add(("settings", name), "required", "This field is required.")
            for name in clean_settings:
                if name not in required + optional:
                    problems.add(("settings", name), "unknown", f"{adapter} has no setting {name!r}.")
            for name in ADAPTER_CREDENTIALS[adapter]:
                if not clean_credentials.get(name):
                    problems.add(("credentials", name), "required", "This field is required.")
            for name in clean_credentials:
                if name not in ADAPTER_CREDENTIALS[adapter]:
                    problems.add(("credentials", name), "unknown", f"{adapter} takes no credential {name!r}.")
        problems.raise_if_any()
        if self.cipher is None:  # pragma: no cover - the composition root always hands one down
            raise RuntimeError("no credential cipher")
        ws = principal.workspace_id
        row = await self.repo.connection(ws, merchant)
        if row is None:
            row = MerchantConnection(workspace_id=ws, merchant=merchant)
        row.adapter = adapter
        row.settings = clean_settings
        row.credentials = self.cipher.encrypt(clean_credentials) if clean_credentials else None
        row.updated_at = utcnow()
        await self.repo.save_connection(row)
        return self.view(row)

    async def disconnect(self, principal: Principal, merchant: str) -> None:
        principal.require(MANAGE_SETTINGS)
        if not await self.repo.delete_connection(principal.workspace_id, merchant):
            raise NotFound("This merchant is not connected.")

    @staticmethod
    def _strings(field: str, values: Mapping[str, Any], problems: Problems) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in values.items():
            if not isinstance(value, str) or len(value) > 2048:
                problems.add((field, key), "string", "Must be a string of at most 2048 characters.")
            else:
                out[key] = value.strip()
        return out

    @staticmethod
    def view(row: MerchantConnection) -> ConnectionView:
        names = sorted(ADAPTER_CREDENTIALS.get(row.adapter, ())) if row.credentials else []
        return ConnectionView(row.merchant, row.adapter, dict(row.settings or {}), names, row.updated_at)

    async def connection_for(self, workspace_id: str, merchant: str) -> Connection | None:
        """The decrypted connection a job opens its adapter with (``None``: not connected)."""
        row = await self.repo.connection(workspace_id, merchant)
        if row is None:
            return None
        secrets: dict[str, str] = {}
        if row.credentials:
            if self.cipher is None:  # pragma: no cover
                raise RuntimeError("no credential cipher")
            secrets = {str(k): str(v) for k, v in self.cipher.decrypt(row.credentials).items()}
        return Connection(row.merchant, row.adapter, dict(row.settings or {}), secrets)

    # --- import links ----------------------------------------------------------------------------------

    async def submit_import(
        self, principal: Principal, command: ImportLinksCommand, *, ai_available: bool = False
    ) -> ImportSubmitted:
        """Read every link, find the duplicates, and queue one job importing the rest. Links that are neither
        an Amazon product URL nor an ASIN are reported ``failed`` and the rest still import. The job is queued even
        when no link is left to import (its result then says so), so every answer names one."""
        principal.require(MANAGE_PRODUCTS)
        ws = principal.workspace_id
        problems = Problems()
        categories = command.categories or []
        await self._check_categories(ws, categories, "categories", problems)
        if await self.repo.connection(ws, "amazon") is None:
            problems.add(
                "links",
                "connected",
                "Amazon is not connected to this store: connect it first (GraphQL connectMerchant).",
            )
        problems.raise_if_any()
        default_locale = await self._default_locale(ws)
        parsed = [(link, parse_link(link, default_locale=default_locale)) for link in command.links]
        existing = await self.repo.existing_offers(
            ws, "amazon", [(p.asin, p.locale) for _, p in parsed if p is not None]
        )
        reports: list[LinkReport] = []
        seen: set[tuple[str, str]] = set()
        for link, found in parsed:
            if found is None:
                reports.append(LinkReport(link, None, None, "failed", "Not an Amazon product URL or ASIN"))
                continue
            key = (found.asin, found.locale)
            if key in seen:
                reports.append(LinkReport(link, found.asin, found.locale, "duplicate", "Repeated in this request"))
            elif key in existing:
                reports.append(
                    LinkReport(link, found.asin, found.locale, "duplicate", "Product already exists", existing[key])
                )
            else:
                reports.append(LinkReport(link, found.asin, found.locale, "importing"))
            seen.add(key)
        to_import = [LinkToImport(asin=r.asin or "", locale=r.locale or "") for r in reports if r.status == "importing"]
        params = ImportParams(
            links=to_import,
            categories=categories,
            generate_content=command.generate_content,
            content=plan_content(ai_available, self.chips_per_credit, self.plans),
        )
        job = await JobService(self.uow).create(principal, kind=IMPORT_LINKS, params=params)
        return ImportSubmitted(job, reports)

    # --- fill categories ---------------------------------------------------------------------------------

    async def submit_fill(
        self, principal: Principal, command: FillCategoriesCommand, *, ai_available: bool
    ) -> FillSubmitted:
        """Check the merchant, locale and categories, price the AI steps that will run (the relevance check
        needs a text provider; offline it is skipped and not billed), and queue one job for every category."""
        principal.require(MANAGE_CATEGORIES)
        principal.require(MANAGE_PRODUCTS)
        ws = principal.workspace_id
        problems = Problems()
        api_name, locale = command.api_name, command.locale
        if api_name not in API_NAMES:
            problems.add("api_name", "in", "Unknown merchant API.", {"values": list(API_NAMES)})
        else:
            if locale not in locales_of(api_name):
                problems.add(
                    "locale",
                    "in",
                    f"{api_name} does not sell in this locale.",
                    {"values": sorted(locales_of(api_name))},
                )
            if await self.repo.connection(ws, api_name) is None:
                problems.add(
                    "api_name",
                    "connected",
                    f"{API_NAMES[api_name]} is not connected to this store: connect it first "
                    "(GraphQL connectMerchant).",
                )
        if command.categories is not None:
            await self._check_categories(ws, command.categories, "categories", problems)
        problems.raise_if_any()
        categories = await self.repo.categories(ws, command.categories)
        if not categories:
            raise InvalidInput.field("categories", "The store has no category to fill.", rule="required")
        relevance = command.ai_relevance_check and ai_available
        chips = RELEVANCE_CHECK_CHIPS * command.quantity * len(categories) if relevance else 0
        cost = credits_for_chips(chips, self.chips_per_credit)
        params = FillParams(
            categories=[c.id for c in categories],
            api_name=api_name,
            locale=locale,
            quantity=command.quantity,
            ai_relevance_check=relevance,
            generate_content=command.generate_content,
            credit_cost=cost,
            content=plan_content(ai_available, self.chips_per_credit, self.plans),
        )
        jobs = JobService(self.uow, plans=self.plans)
        job = await jobs.create(principal, kind=FILL_CATEGORIES, params=params, credits=cost)
        return FillSubmitted(job, len(categories), command.quantity, api_name, locale, cost)

    # --- helpers -------------------------------------------------------------------------------------------

    async def _check_categories(self, ws: str, ids: list[int], field: str, problems: Problems) -> None:
        if not ids:
            return
        found = {c.id for c in await self.repo.categories(ws, ids)}
        missing = [i for i in ids if i not in found]
        for index, category_id in enumerate(ids):
            if category_id in missing:
                problems.add((field, index), "exists", "This category does not exist.")

    async def _default_locale(self, ws: str) -> str:
        country = (await self.store.settings(ws)).get("store_default_country")
        code = country.lower() if isinstance(country, str) else "us"
        return code if code in AMAZON_LOCALES else "us"
