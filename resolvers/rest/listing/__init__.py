"""The listing studio surface (``/listing/api/...``): products, image and copy jobs, assets, export, credits and
webhooks, one module per part of the listing document, each with its own router; this module puts them
together.

Dialect (``dialect.py``): ``{"error": "<code>", "message"}`` errors with the document's statuses, Bearer auth
(access tokens and API keys). Bodies are parsed into ``domain.listing.requests`` commands before the service
(``domain.listing.service.ListingService``) is called; plan gating, pricing and credits are decided there.
Rate limits are the document's, counted per workspace.
"""

from __future__ import annotations

from resolvers.rest.listing import assets, billing, copy, export, images, products, webhooks
from resolvers.rest.listing.dialect import ListingDialect
from resolvers.rest.surface import RateLimit, Surface

SURFACE = Surface(
    name="listing",
    prefix="/listing/api",
    title="Listing studio API",
    description=(
        "Marketplace product images in 16 styles, listing copy, assets and their ZIP export, priced in credits. "
        "A Pro plan feature: workspaces on the free plan are answered 403 plan_required."
    ),
    dialect=ListingDialect(),
    routers=[
        products.router,
        images.router,
        copy.router,
        assets.router,
        export.router,
        billing.router,
        webhooks.router,
    ],
    rate_limits=[
        RateLimit("ai", 30, ("/ai",)),
        RateLimit("products", 120, ("/products",)),
        RateLimit("all", 200),
    ],
    rate_per="workspace",
)
