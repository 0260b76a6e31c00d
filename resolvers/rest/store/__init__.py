"""The store API (``freshstore-api.txt``) at ``/api``: one surface, one router per resource."""

from __future__ import annotations

from resolvers.rest.store import (
    ai_ops,
    analytics,
    article_categories,
    articles,
    brands,
    categories,
    merchant_ops,
    offers,
    pages,
    products,
    store,
    users,
)
from resolvers.rest.store import settings as settings_routes
from resolvers.rest.store.dialect import StoreDialect
from resolvers.rest.surface import RateLimit, Surface

SURFACE = Surface(
    name="store",
    prefix="/api",
    title="Store API",
    description="The store's catalog, content, users and settings (the FreshStore API document), in its dialect: "
    '`{"data": ...}` bodies, Laravel-style pagination and validation errors.',
    dialect=StoreDialect(),
    routers=[
        ai_ops.router,  # before the resources' {id} routes: fixed paths such as /brands/clean
        merchant_ops.router,  # the same: /products/import-links, /categories/fill
        products.router,
        offers.router,
        categories.router,
        brands.router,
        store.router,
        users.router,
        settings_routes.router,
        articles.router,
        article_categories.router,
        pages.router,
        analytics.router,
    ],
    rate_limits=[RateLimit("all", 60)],
)
