"""The space product post surface (``/swm/rs/v1``): posting a product to a space, and uploading its image.

Dialect (``dialect.py``): the document's ``{"response": {"code", "developerMessage"}}`` envelope for every
answer. Bodies are parsed into ``domain.spaces.requests.PostProduct``; membership, the store-domain rule, the
max-products limit and the notifications are ``domain.spaces.service.SpacesService``'s. Spaces themselves are
managed through GraphQL and the CLI (the document covers only posting).
"""

from __future__ import annotations

from resolvers.rest.surface import RateLimit, Surface
from resolvers.rest.swm import posts
from resolvers.rest.swm.dialect import SwmDialect

SURFACE = Surface(
    name="space-posts",
    prefix="/swm/rs/v1",
    title="Space product posts API",
    description=(
        "Post a catalog product to a space; the space's other members who opted in are emailed. The caller must "
        "be a member of the space and owns the post. Spaces are managed through GraphQL and the CLI."
    ),
    dialect=SwmDialect(),
    routers=[posts.router],
    rate_limits=[RateLimit("all", 0)],
)
