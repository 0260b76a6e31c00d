"""The storefront marketing posts surface (``/api/v1/workspace/...``): one operation, generating posts for a
catalog product, in the storefront document's dialect (``dialect.py``). The rules are
``domain.marketing.service``'s; progress and the completion payload come through the job (GraphQL
``jobProgress``, ``/v1/jobs/{id}``). No rate limit is documented: ``storefront.all`` is 0 (none) unless an
operator sets one."""

from __future__ import annotations

from resolvers.rest.storefront import posts
from resolvers.rest.storefront.dialect import StorefrontDialect
from resolvers.rest.surface import RateLimit, Surface

SURFACE = Surface(
    name="storefront",
    prefix="/api/v1/workspace",
    title="Storefront marketing posts API",
    description="Marketing posts (captions, hashtags, calls to action, post and story images) for storefront "
    "products, written by a background job whose progress streams over GraphQL jobProgress.",
    dialect=StorefrontDialect(),
    routers=[posts.router],
    rate_limits=[RateLimit("all", 0)],
)
