"""The read-path benchmarks' data: one workspace with 2,000 products, 50 brands, 100 categories and 4,000 offers.

``python -m benchmarks.seed [URL]`` (re)creates the database the URL names (PostgreSQL; default
``postgresql+asyncpg://postgres@127.0.0.1:5432/bench_reads``), migrates it, seeds it and prints the workspace id and
its API key as JSON. Rows go in through the app's own tables in a few multi-row inserts (seconds, not minutes);
the workspace and its key through the accounts service, as ``shopwright workspace create`` does.

Every product has a brand, two categories and two offers of its own; a fifth of the categories have a parent.
The data is deterministic (the same seed gives the same rows), timestamps included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from domain.accounts.service import AccountsService
from domain.accounts.tokens import TokenService
from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory
from domain.db import Database, NullDispatcher
from shopwright.migrate import upgrade

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_reads"
SECRET = "benchmark-secret-key"

PRODUCTS = 2000
BRANDS = 50
CATEGORIES = 100
OFFERS_PER_PRODUCT = 2
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    url: str
    workspace_id: str
    api_key: str


async def _recreate(url: str) -> None:
    parsed = make_url(url)
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await admin.dispose()


def _stamp(i: int) -> datetime:
    return EPOCH + timedelta(minutes=i)


def _brand(ws: str, i: int) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "slug": f"brand-{i}",
        "title": f"Brand {i}",
        "subtitle": None,
        "link_title": None,
        "content": f"About brand {i}.",
        "content_bottom": None,
        "meta_title": None,
        "meta_keywords": None,
        "meta_description": None,
        "enabled": True,
        "created_at": _stamp(i),
        "updated_at": _stamp(i),
    }


def _category(ws: str, i: int, parent_id: int | None) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "parent_id": parent_id,
        "slug": f"category-{i}",
        "title": f"Category {i}",
        "subtitle": None,
        "link_title": None,
        "content_top": f"Everything in category {i}.",
        "content_bottom": None,
        "meta_title": None,
        "meta_keywords": None,
        "meta_description": None,
        "enabled": True,
        "sort_order": i % 7,
        "created_at": _stamp(i),
        "updated_at": _stamp(i),
    }


def _product(ws: str, i: int, brand_id: int) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "brand_id": brand_id,
        "slug": f"product-{i}",
        "title": f"Product {i} with a title of ordinary length",
        "subtitle": f"Subtitle {i}",
        "link_title": None,
        "content": f"<p>Product {i} is a fine product. " + "It does what it says. " * 8 + "</p>",
        "content_bottom": None,
        "highlights": [f"Highlight {i}.{k}" for k in range(3)],
        "summary": f"Summary of product {i}.",
        "meta_title": f"Product {i}",
        "meta_keywords": "product, benchmark",
        "meta_description": f"Buy product {i}.",
        "review_quantity": i % 40,
        "review_score": round(3 + (i % 20) / 10, 1),
        "enabled": True,
        "in_sitemap": True,
        "generated": False,
        "upc": None,
        "ean": f"{4000000000000 + i}",
        "isbn": None,
        "mpn": f"MPN-{i}",
        "main_image_url": f"https://img.example.com/products/{i}.jpg",
        "analytics_visits": i % 100,
        "total_clicks": i % 50,
        "affiliate_clicks": i % 25,
        "external_product_code": f"EXT-{i}",
        "market": "GB",
        "language": "en",
        "variant_group_id": None,
        "keywords": [],
        "attributes": {"colour": ["red", "blue", "green"][i % 3], "size": str(i % 10)},
        "reviews": [],
        "created_at": _stamp(i),
        "updated_at": _stamp(i),
        "deleted_at": None,
    }


def _offer(ws: str, i: int) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "uuid": None,
        "merchant": f"merchant-{i % 5}",
        "merchant_offer_id": f"MO-{i}",
        "title": f"Offer {i}",
        "summary": None,
        "features": ["fast delivery"],
        "currency": "EUR",
        "price": 10 + (i % 90) + 0.99,
        "price_full": 120.0,
        "min_price": None,
        "max_price": None,
        "condition": "new",
        "stock_available": True,
        "enabled": True,
        "locale": "en",
        "images": [],
        "url_detail": f"https://shop.example.com/offers/{i}",
        "created_at": _stamp(i),
        "updated_at": _stamp(i),
    }


async def _seed_rows(url: str) -> Seeded:
    db = Database(url)
    try:
        async with db.unit_of_work(NullDispatcher()) as uow:
            accounts = AccountsService(uow.session, TokenService([SECRET]), token_ttl_seconds=3600)
            created = await accounts.create_workspace(
                name="Benchmark Store", owner_email="bench@example.com", plan="free", credits=0
            )
        ws = created.workspace.id
        async with db.write_session() as session:

            async def ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
                result = await session.execute(insert(model).returning(model.id), rows)
                return [int(r) for r in result.scalars()]

            brand_ids = await ids(Brand, [_brand(ws, i) for i in range(BRANDS)])
            roots = await ids(Category, [_category(ws, i, None) for i in range(CATEGORIES * 4 // 5)])
            children = await ids(
                Category, [_category(ws, i, roots[i % len(roots)]) for i in range(len(roots), CATEGORIES)]
            )
            category_ids = roots + children
            product_ids = await ids(Product, [_product(ws, i, brand_ids[i % BRANDS]) for i in range(PRODUCTS)])
            offer_ids = await ids(Offer, [_offer(ws, i) for i in range(PRODUCTS * OFFERS_PER_PRODUCT)])
            links = [
                {
                    "workspace_id": ws,
                    "product_id": pid,
                    "category_id": category_ids[(n * 7 + k * 13) % CATEGORIES],
                    "position": k,
                }
                for n, pid in enumerate(product_ids)
                for k in range(2)
            ]
            await session.execute(insert(ProductCategory), links)
            offers = [
                {"workspace_id": ws, "offer_id": offer_ids[n * OFFERS_PER_PRODUCT + k], "product_id": pid}
                for n, pid in enumerate(product_ids)
                for k in range(OFFERS_PER_PRODUCT)
            ]
            await session.execute(insert(OfferProduct), offers)
        async with db.write_session() as session:
            await session.execute(text("ANALYZE"))
        return Seeded(url=url, workspace_id=ws, api_key=created.api_key.plaintext)
    finally:
        await db.dispose()


def seed(url: str = DEFAULT_URL) -> Seeded:
    """(Re)create, migrate and seed the database at ``url``."""
    asyncio.run(_recreate(url))
    upgrade(url)
    return asyncio.run(_seed_rows(url))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    args = parser.parse_args()
    seeded = seed(args.url)
    print(json.dumps({"workspace_id": seeded.workspace_id, "api_key": seeded.api_key}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
