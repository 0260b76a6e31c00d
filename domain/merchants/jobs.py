"""The merchant operations' jobs: ``merchants.import_links`` (look the links' ASINs up, import what the merchant
lists, out-of-stock items too: each link is an explicit choice), ``merchants.fill_categories`` (per category:
search with its title and keywords, skip out-of-stock items and items already offered, optionally ask the AI
model whether each fits, import up to ``quantity``), both queueing ``store.ai_content`` for the products they
create when ``generate_content`` asks for it (``domain.merchants.content``), and ``merchants.refresh_offers``
(ask the merchants about every offer: price and stock updated, unlisted ones recorded for the ``expired_offers``
clean)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, Field

from domain.ai.ports import ProviderError, ProviderSet
from domain.base import utcnow
from domain.catalog.models import Category
from domain.jobs.registry import JobContext, JobKind, RetryableJobError
from domain.merchants.content import ContentPlan, ContentQueued, queue_content
from domain.merchants.importer import CatalogImporter
from domain.merchants.ports import (
    API_NAMES,
    Connection,
    MerchantCatalog,
    MerchantItem,
    MerchantPorts,
    MerchantUnavailable,
)
from domain.merchants.repository import MerchantRepository

PER_CATEGORY_CANDIDATES = 3  # items searched per product wanted: room for the skipped ones


class LinkToImport(BaseModel):
    asin: str
    locale: str


class ImportParams(BaseModel):
    links: list[LinkToImport]
    categories: list[int] = Field(default_factory=list)
    generate_content: bool = False
    content: ContentPlan = Field(default_factory=ContentPlan)


class FillParams(BaseModel):
    categories: list[int]
    api_name: str
    locale: str
    quantity: int
    ai_relevance_check: bool
    generate_content: bool
    credit_cost: int = 0
    content: ContentPlan = Field(default_factory=ContentPlan)


class RefreshParams(BaseModel):
    merchants: list[str] = Field(default_factory=list)  # empty: every connected merchant


def _ports(ctx: JobContext[Any]) -> MerchantPorts:
    ports = getattr(ctx.providers, "merchants", None)
    if not isinstance(ports, MerchantPorts):
        raise MerchantUnavailable("No merchant adapters are configured in this process.", transient=False)
    return ports


async def _open(ctx: JobContext[Any], merchant: str) -> MerchantCatalog:
    ports = _ports(ctx)
    async with ctx.unit_of_work() as uow:
        row = await MerchantRepository(uow.session).connection(ctx.workspace_id, merchant)
        if row is None:
            raise MerchantUnavailable(f"{API_NAMES.get(merchant, merchant)} is no longer connected.", transient=False)
        secrets = {str(k): str(v) for k, v in ports.cipher.decrypt(row.credentials).items()} if row.credentials else {}
        connection = Connection(row.merchant, row.adapter, dict(row.settings or {}), secrets)
    return ports.opener.open(connection)


def _retryable(exc: MerchantUnavailable) -> Exception:
    return RetryableJobError(exc.message) if exc.transient else exc


# --- import links ------------------------------------------------------------------------------------------


async def import_links(ctx: JobContext[ImportParams]) -> dict[str, Any]:
    params = ctx.params
    results: list[dict[str, Any]] = []
    content = ContentQueued()
    if not params.links:
        return {"imported": 0, "not_found": 0, "duplicates": 0, "links": [], **_content_result(params, content)}
    try:
        catalog = await _open(ctx, "amazon")
        by_locale: dict[str, list[str]] = defaultdict(list)
        for link in params.links:
            by_locale[link.locale].append(link.asin)
        found: dict[tuple[str, str], MerchantItem] = {}
        for index, (locale, asins) in enumerate(by_locale.items()):
            items = await catalog.lookup(asins, locale=locale)
            found.update({(asin.upper(), locale): item for asin, item in items.items()})
            await ctx.progress(0.5 * (index + 1) / len(by_locale), f"Looked up {locale}")
    except MerchantUnavailable as exc:
        raise _retryable(exc) from None
    async with ctx.unit_of_work() as uow:
        importer = CatalogImporter(uow.session)
        for link in params.links:
            entry: dict[str, Any] = {"asin": link.asin, "locale": link.locale}
            item = found.get((link.asin.upper(), link.locale))
            if item is None:
                entry.update(status="not_found", reason="The merchant does not list this item")
            elif (existing := await importer.existing(ctx.workspace_id, _located(item, link.locale))) is not False:
                # Imported by another request since this one was submitted.
                entry.update(status="duplicate", reason="Product already exists")
                if not isinstance(existing, bool):
                    entry["product_id"] = existing
            else:
                written = await importer.write(ctx.workspace_id, _located(item, link.locale), params.categories)
                entry.update(status="imported", product_id=written.product_id, offer_id=written.offer_id)
            results.append(entry)
        if params.generate_content:
            created = [r["product_id"] for r in results if r["status"] == "imported"]
            content = await queue_content(uow, ctx.workspace_id, created, params.content)
    await ctx.progress(1.0, "Imported")
    statuses = [r["status"] for r in results]
    return {
        "imported": statuses.count("imported"),
        "not_found": statuses.count("not_found"),
        "duplicates": statuses.count("duplicate"),
        "links": results,
        **_content_result(params, content),
    }


def _content_result(params: ImportParams | FillParams, content: ContentQueued) -> dict[str, Any]:
    """The ``content`` part of a result (what ``generate_content`` queued), and its warnings."""
    if not params.generate_content:
        return {"content": None, "warnings": []}
    return {"content": content.report(), "warnings": content.warnings()}


def _located(item: MerchantItem, locale: str) -> MerchantItem:
    return item if item.locale == locale else replace(item, locale=locale)


# --- fill categories ---------------------------------------------------------------------------------------


RELEVANCE_SCHEMA = {
    "type": "object",
    "properties": {"relevant": {"type": "boolean"}, "reason": {"type": "string"}},
    "required": ["relevant", "reason"],
    "additionalProperties": False,
}


async def _relevant(ctx: JobContext[Any], providers: ProviderSet, category: Category, item: MerchantItem) -> bool:
    text = providers.require_text("The AI relevance check")
    result = await text.generate_json(
        system="You decide whether a merchant's product belongs in an online store's category. Answer in JSON.",
        user=(
            f"Category: {category.title}\nCategory keywords: {category.meta_keywords or '-'}\n"
            f"Product: {item.title}\nBrand: {item.brand or '-'}\nMerchant category: {item.category or '-'}\n"
            "Does the product belong in this category?"
        ),
        schema=RELEVANCE_SCHEMA,
        schema_name="category_relevance",
        temperature=0.0,
        max_tokens=120,
        model=providers.model,
    )
    await ctx.record_usage(result.usage.prompt_tokens, result.usage.completion_tokens)
    return bool(result.data.get("relevant"))


def _keyword(category: Category) -> str:
    words = [category.title.strip()]
    if category.meta_keywords:
        words.extend(k.strip() for k in category.meta_keywords.split(",")[:3] if k.strip())
    return " ".join(dict.fromkeys(words))


async def fill_categories(ctx: JobContext[FillParams]) -> dict[str, Any]:
    params = ctx.params
    providers: ProviderSet = ctx.providers
    content = ContentQueued()
    try:
        catalog = await _open(ctx, params.api_name)
    except MerchantUnavailable as exc:
        raise _retryable(exc) from None
    async with ctx.unit_of_work() as uow:
        categories = await MerchantRepository(uow.session).categories(ctx.workspace_id, params.categories)
        targets = [(c.id, c.title, c.meta_keywords) for c in categories]
    report: list[dict[str, Any]] = []
    for index, (category_id, title, keywords) in enumerate(targets):
        category = Category(id=category_id, title=title, meta_keywords=keywords)
        entry, queued = await _fill_one(ctx, providers, catalog, category)
        content.merge(queued)
        report.append(entry)
        await ctx.progress((index + 1) / max(len(targets), 1), f"Filled {title}", {"category_id": category_id})
    return {
        "api_name": params.api_name,
        "locale": params.locale,
        "quantity_per_category": params.quantity,
        "imported": sum(len(e["product_ids"]) for e in report),
        "categories": report,
        **_content_result(params, content),
    }


async def _fill_one(
    ctx: JobContext[FillParams], providers: ProviderSet, catalog: MerchantCatalog, category: Category
) -> tuple[dict[str, Any], ContentQueued]:
    params = ctx.params
    try:
        items = await catalog.search(
            _keyword(category), locale=params.locale, limit=params.quantity * PER_CATEGORY_CANDIDATES
        )
    except MerchantUnavailable as exc:
        raise _retryable(exc) from None
    skipped = {"out_of_stock": 0, "duplicate": 0, "not_relevant": 0}
    chosen: list[MerchantItem] = []
    async with ctx.unit_of_work() as uow:
        importer = CatalogImporter(uow.session)
        for item in items:
            if len(chosen) >= params.quantity:
                break
            item = _located(item, params.locale)
            if not item.in_stock:
                skipped["out_of_stock"] += 1
            elif any(c.item_id.upper() == item.item_id.upper() for c in chosen) or (
                await importer.existing(ctx.workspace_id, item) is not False
            ):
                skipped["duplicate"] += 1
            else:
                chosen.append(item)
    if params.ai_relevance_check:
        kept: list[MerchantItem] = []
        for item in chosen:
            try:
                relevant = await _relevant(ctx, providers, category, item)
            except ProviderError as exc:
                raise RetryableJobError(f"The AI relevance check failed: {exc.message}") from None
            if relevant:
                kept.append(item)
            else:
                skipped["not_relevant"] += 1
        chosen = kept
    product_ids: list[int] = []
    async with ctx.unit_of_work() as uow:
        importer = CatalogImporter(uow.session)
        for item in chosen:
            product_ids.append((await importer.write(ctx.workspace_id, item, [category.id])).product_id)
        content = ContentQueued()
        if params.generate_content:
            content = await queue_content(uow, ctx.workspace_id, product_ids, params.content)
    entry = {"category_id": category.id, "title": category.title, "product_ids": product_ids, "skipped": skipped}
    return entry, content


# --- refresh offers ----------------------------------------------------------------------------------------


async def refresh_offers(ctx: JobContext[RefreshParams]) -> dict[str, Any]:
    async with ctx.unit_of_work() as uow:
        repo = MerchantRepository(uow.session)
        connected = [c.merchant for c in await repo.connections(ctx.workspace_id)]
    merchants = [m for m in connected if not ctx.params.merchants or m in ctx.params.merchants]
    summary: dict[str, dict[str, int]] = {}
    for index, merchant in enumerate(merchants):
        try:
            catalog = await _open(ctx, merchant)
            async with ctx.unit_of_work() as uow:
                offers = [
                    (o.id, o.merchant_offer_id, o.locale or "us")
                    for o in await MerchantRepository(uow.session).offers_of(ctx.workspace_id, merchant)
                ]
            by_locale: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for offer_id, item_id, locale in offers:
                by_locale[locale].append((offer_id, item_id))
            answers: dict[str, dict[str, MerchantItem]] = {}
            for locale, entries in by_locale.items():
                found = await catalog.lookup([item for _, item in entries], locale=locale)
                answers[locale] = {k.upper(): v for k, v in found.items()}
        except MerchantUnavailable as exc:
            raise _retryable(exc) from None
        listed: list[int] = []
        unlisted: list[int] = []
        async with ctx.unit_of_work() as uow:
            repo = MerchantRepository(uow.session)
            current = {o.id: o for o in await repo.offers_of(ctx.workspace_id, merchant)}
            for locale, entries in by_locale.items():
                for offer_id, item_id in entries:
                    item = answers[locale].get(item_id.upper())
                    offer = current.get(offer_id)
                    if offer is None:
                        continue
                    if item is None:
                        unlisted.append(offer_id)
                        continue
                    listed.append(offer_id)
                    offer.price, offer.currency, offer.stock_available = item.price, item.currency, item.in_stock
                    if item.price_full is not None:
                        offer.price_full = item.price_full
                    if item.images:
                        offer.images = list(item.images)
                    offer.updated_at = utcnow()
            await repo.mark(ctx.workspace_id, listed, listed=True)
            await repo.mark(ctx.workspace_id, unlisted, listed=False)
        summary[merchant] = {"listed": len(listed), "unlisted": len(unlisted)}
        await ctx.progress((index + 1) / len(merchants), f"Checked {merchant}")
    return {"merchants": summary}


IMPORT_LINKS = JobKind(
    name="merchants.import_links",
    params=ImportParams,
    handler=import_links,
    description="Import products from Amazon links and ASINs (POST /api/products/import-links).",
)
FILL_CATEGORIES = JobKind(
    name="merchants.fill_categories",
    params=FillParams,
    handler=fill_categories,
    description="Fill categories with merchant products (POST /api/categories/fill).",
)
REFRESH_OFFERS = JobKind(
    name="merchants.refresh_offers",
    params=RefreshParams,
    handler=refresh_offers,
    description="Ask the merchants about every offer: price, stock, still listed.",
)
MERCHANT_KINDS: tuple[JobKind[Any], ...] = (IMPORT_LINKS, FILL_CATEGORIES, REFRESH_OFFERS)
