"""The bare baseline of the read-path benchmarks: Starlette and asyncpg, nothing else.

Each route runs the SQL a Shopwright read needs (the total, the page, then one query per relation with
``= ANY($1)``) on a plain asyncpg pool and answers the same JSON as Shopwright's route: no authentication, no
ORM, no GraphQL, no middleware. ``benchmarks.read_paths`` checks that the bodies match before it measures.

Run: ``BENCH_DSN=postgresql://postgres@127.0.0.1:5432/bench_reads BENCH_WORKSPACE=<id>
uvicorn benchmarks.bare:app``.

- ``GET /api/products?per_page=N&include=brand,offers,categories`` and ``GET /api/products/{id}``: the store
  API's bodies (``data``, ``links``, ``meta``);
- ``POST /graphql`` with ``{"variables": {"first": N}}`` or ``{"variables": {"id": <product id>}}``: the
  bodies of ``PAGE_QUERY`` and ``ONE_QUERY`` (below) as Shopwright's GraphQL answers them, built by hand;
- ``POST /graphql-core`` with ``PAGE_QUERY``: the same body through a GraphQL engine (``BareGraphQL``:
  graphql-core, the engine Strawberry runs on), the least any GraphQL server does for it.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from inspect import isawaitable
from typing import Any
from urllib.parse import urlencode

import asyncpg  # type: ignore[import-untyped]
from graphql import DocumentNode, build_schema, execute, parse, validate
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PAGE_QUERY = """query Page($first: Int!) {
  products(first: $first) {
    totalCount
    edges { node {
      productId slug title summary enabled reviewScore
      brand { brandId title }
      categories { categoryId title }
      offers { offerId title price currency merchant }
    } }
  }
}"""

ONE_QUERY = """query One($id: ID!) {
  product(id: $id) {
    productId slug title subtitle content summary highlights metaTitle metaDescription
    reviewQuantity reviewScore enabled ean mpn mainImageUrl attributes
  }
}"""

PRODUCT_COLUMNS = [
    "id", "slug", "title", "subtitle", "link_title", "content", "content_bottom", "highlights", "summary",
    "meta_title", "meta_keywords", "meta_description", "review_quantity", "review_score", "enabled", "in_sitemap",
    "brand_id", "analytics_visits", "upc", "ean", "isbn", "mpn", "main_image_url", "generated",
    "external_product_code", "market", "language", "variant_group_id", "keywords", "attributes", "reviews",
    "created_at", "updated_at",
]  # fmt: skip
BRAND_COLUMNS = [
    "id", "slug", "title", "subtitle", "link_title", "content", "content_bottom", "meta_title", "meta_keywords",
    "meta_description", "enabled", "created_at", "updated_at",
]  # fmt: skip
CATEGORY_COLUMNS = [
    "id", "parent_id", "slug", "title", "subtitle", "link_title", "content_top", "content_bottom", "meta_title",
    "meta_keywords", "meta_description", "enabled", "sort_order", "created_at", "updated_at",
]  # fmt: skip
OFFER_KEYS = [
    "id", "uuid", "merchant", "merchant_offer_id", "merchant_product_id", "title", "summary", "features",
    "currency", "price", "price_full", "min_price", "max_price", "condition", "stock_available", "enabled",
    "locale", "images", "url_detail", "created_at", "updated_at",
]  # fmt: skip
OFFER_COLUMNS = [c for c in OFFER_KEYS if c != "merchant_product_id"]
SOURCE = {"merchant_product_id": "merchant_offer_id"}  # the store API's deprecated alias
JSON_COLUMNS = {"highlights", "keywords", "attributes", "reviews", "features", "images"}


def _cols(columns: list[str], table: str) -> str:
    return ", ".join(f"{table}.{c}" for c in columns)


SQL_COUNT = "SELECT count(*) FROM catalog_products WHERE workspace_id = $1 AND deleted_at IS NULL"
SQL_PAGE = (
    f"SELECT {_cols(PRODUCT_COLUMNS, 'p')} FROM catalog_products p WHERE p.workspace_id = $1 AND p.deleted_at IS NULL"
    " ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3"
)
SQL_ONE = (
    f"SELECT {_cols(PRODUCT_COLUMNS, 'p')} FROM catalog_products p"
    " WHERE p.workspace_id = $1 AND p.deleted_at IS NULL AND p.id = $2"
)
SQL_BRANDS = f"SELECT {_cols(BRAND_COLUMNS, 'b')} FROM catalog_brands b WHERE b.workspace_id = $1 AND b.id = ANY($2)"
SQL_CATEGORIES = (
    f"SELECT pc.product_id, {_cols(CATEGORY_COLUMNS, 'c')} FROM catalog_product_categories pc"
    " JOIN catalog_categories c ON c.id = pc.category_id"
    " WHERE pc.workspace_id = $1 AND pc.product_id = ANY($2) ORDER BY pc.position, c.id"
)
SQL_OFFERS = (
    f"SELECT op.product_id, {_cols(OFFER_COLUMNS, 'o')} FROM catalog_offer_products op"
    " JOIN catalog_offers o ON o.id = op.offer_id"
    " WHERE op.workspace_id = $1 AND op.product_id = ANY($2) ORDER BY o.id"
)


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _row(record: asyncpg.Record, columns: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in columns:
        value = record[SOURCE.get(c, c)]
        if c in JSON_COLUMNS:
            value = json.loads(value)
        elif c.endswith("_at"):
            value = _ts(value)
        out[c] = value
    return out


class Store:
    def __init__(self, dsn: str, workspace_id: str) -> None:
        self.dsn, self.ws = dsn, workspace_id
        self.pool: asyncpg.Pool[Any] | None = None

    async def page(self, limit: int, offset: int) -> tuple[int, list[asyncpg.Record]]:
        assert self.pool is not None
        async with self.pool.acquire() as conn:
            total = await conn.fetchval(SQL_COUNT, self.ws)
            rows = await conn.fetch(SQL_PAGE, self.ws, limit, offset)
        return int(total), list(rows)

    async def relations(
        self, products: list[asyncpg.Record]
    ) -> tuple[dict[int, asyncpg.Record], dict[int, list[asyncpg.Record]], dict[int, list[asyncpg.Record]]]:
        assert self.pool is not None
        ids = [p["id"] for p in products]
        brand_ids = list({p["brand_id"] for p in products if p["brand_id"] is not None})
        async with self.pool.acquire() as conn:
            brands = {b["id"]: b for b in await conn.fetch(SQL_BRANDS, self.ws, brand_ids)}
            categories: dict[int, list[asyncpg.Record]] = {}
            for r in await conn.fetch(SQL_CATEGORIES, self.ws, ids):
                categories.setdefault(r["product_id"], []).append(r)
            offers: dict[int, list[asyncpg.Record]] = {}
            for r in await conn.fetch(SQL_OFFERS, self.ws, ids):
                offers.setdefault(r["product_id"], []).append(r)
        return brands, categories, offers

    async def one(self, product_id: int) -> asyncpg.Record | None:
        assert self.pool is not None
        async with self.pool.acquire() as conn:
            row: asyncpg.Record | None = await conn.fetchrow(SQL_ONE, self.ws, product_id)
            return row


def build(dsn: str, workspace_id: str) -> Starlette:
    store = Store(dsn, workspace_id)

    async def rest_products(request: Request) -> JSONResponse:
        per_page = int(request.query_params.get("per_page", "15"))
        number = int(request.query_params.get("page", "1"))
        includes = set(filter(None, request.query_params.get("include", "").split(",")))
        total, products = await store.page(per_page, (number - 1) * per_page)
        brands, categories, offers = await store.relations(products)
        items = []
        for p in products:
            item = _row(p, PRODUCT_COLUMNS)
            if "brand" in includes:
                b = brands.get(p["brand_id"])
                item["brand"] = _row(b, BRAND_COLUMNS) if b is not None else None
            if "offers" in includes:
                item["offers"] = [_row(o, OFFER_KEYS) for o in offers.get(p["id"], [])]
            if "categories" in includes:
                item["categories"] = [_row(c, CATEGORY_COLUMNS) for c in categories.get(p["id"], [])]
            items.append(item)
        base = str(request.url.replace(query=""))
        params = dict(request.query_params)
        last = max(1, math.ceil(total / per_page))

        def link(n: int) -> str:
            return f"{base}?{urlencode({**params, 'page': n})}"

        start = (number - 1) * per_page
        body = {
            "data": items,
            "links": {
                "first": link(1),
                "last": link(last),
                "prev": link(number - 1) if number > 1 else None,
                "next": link(number + 1) if number < last else None,
            },
            "meta": {
                "current_page": number,
                "from": start + 1 if items else None,
                "last_page": last,
                "path": base,
                "per_page": per_page,
                "to": start + len(items) if items else None,
                "total": total,
            },
        }
        return JSONResponse(body)

    async def rest_product(request: Request) -> JSONResponse:
        row = await store.one(int(request.path_params["id"]))
        if row is None:
            return JSONResponse({"message": "Not found."}, status_code=404)
        return JSONResponse({"data": _row(row, PRODUCT_COLUMNS)})

    async def graphql(request: Request) -> JSONResponse:
        variables = (await request.json()).get("variables") or {}
        if "id" in variables:
            row = await store.one(int(variables["id"]))
            if row is None:
                return JSONResponse({"data": None, "errors": [{"message": "Not found."}]})
            return JSONResponse({"data": {"product": _one_node(row)}})
        return JSONResponse({"data": {"products": await page_of(int(variables["first"]))}})

    async def page_of(first: int) -> dict[str, Any]:
        total, products = await store.page(first, 0)
        brands, categories, offers = await store.relations(products)
        return {"totalCount": total, "edges": [{"node": _page_node(p, brands, categories, offers)} for p in products]}

    engine = BareGraphQL(page_of)

    async def graphql_core(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse(await engine.answer(body["query"], body.get("variables") or {}))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store.pool = await asyncpg.create_pool(store.dsn, min_size=1, max_size=5)
        try:
            yield
        finally:
            await store.pool.close()

    routes = [
        Route("/api/products", rest_products),
        Route("/api/products/{id:int}", rest_product),
        Route("/graphql", graphql, methods=["POST"]),
        Route("/graphql-core", graphql_core, methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _page_node(
    p: asyncpg.Record,
    brands: dict[int, asyncpg.Record],
    categories: dict[int, list[asyncpg.Record]],
    offers: dict[int, list[asyncpg.Record]],
) -> dict[str, Any]:
    b = brands.get(p["brand_id"])
    return {
        "productId": p["id"],
        "slug": p["slug"],
        "title": p["title"],
        "summary": p["summary"],
        "enabled": p["enabled"],
        "reviewScore": p["review_score"],
        "brand": {"brandId": b["id"], "title": b["title"]} if b is not None else None,
        "categories": [{"categoryId": c["id"], "title": c["title"]} for c in categories.get(p["id"], [])],
        "offers": [
            {"offerId": o["id"], "title": o["title"], "price": o["price"], "currency": o["currency"],
             "merchant": o["merchant"]}
            for o in offers.get(p["id"], [])
        ],
    }  # fmt: skip


# The part of Shopwright's schema PAGE_QUERY reads, for the bare route with a GraphQL engine (graphql-core).
PAGE_SDL = """
type Query { products(first: Int!): ProductConnection! }
type ProductConnection { totalCount: Int! edges: [ProductEdge!]! }
type ProductEdge { node: Product! }
type Product {
  productId: Int! slug: String! title: String! summary: String enabled: Boolean! reviewScore: Float
  brand: Brand categories: [Category!]! offers: [Offer!]!
}
type Brand { brandId: Int! title: String! }
type Category { categoryId: Int! title: String! }
type Offer { offerId: Int! title: String! price: Float currency: String! merchant: String! }
"""


class BareGraphQL:
    """The least a GraphQL server does: the document parsed and validated once per text, then graphql-core
    executes it; the root field runs the bare route's SQL and answers plain dicts (every other field is
    graphql-core's default resolver). What Shopwright's GraphQL page costs beyond the GraphQL engine itself is
    Shopwright's own."""

    def __init__(self, page_of: Callable[[int], Awaitable[dict[str, Any]]]) -> None:
        self.schema = build_schema(PAGE_SDL)
        query_type = self.schema.query_type
        assert query_type is not None
        query_type.fields["products"].resolve = lambda _root, _info, first: page_of(first)
        self.documents: dict[str, DocumentNode] = {}

    async def answer(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        document = self.documents.get(query)
        if document is None:
            document = parse(query)
            errors = validate(self.schema, document)
            if errors:
                return {"data": None, "errors": [e.formatted for e in errors]}
            self.documents[query] = document
        result = execute(self.schema, document, variable_values=variables)
        if isawaitable(result):
            result = await result
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        return answer


def _one_node(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "productId": row["id"],
        "slug": row["slug"],
        "title": row["title"],
        "subtitle": row["subtitle"],
        "content": row["content"],
        "summary": row["summary"],
        "highlights": json.loads(row["highlights"]),
        "metaTitle": row["meta_title"],
        "metaDescription": row["meta_description"],
        "reviewQuantity": row["review_quantity"],
        "reviewScore": row["review_score"],
        "enabled": row["enabled"],
        "ean": row["ean"],
        "mpn": row["mpn"],
        "mainImageUrl": row["main_image_url"],
        "attributes": json.loads(row["attributes"]),
    }


def _from_env() -> Starlette:
    dsn = os.environ.get("BENCH_DSN", "postgresql://postgres@127.0.0.1:5432/bench_reads")
    return build(dsn, os.environ.get("BENCH_WORKSPACE", ""))


app = _from_env()
