"""The content-services surface (``/brandbrain/...``), one module per part of the document, each with its own
router; this module puts them together.

Dialect (``dialect.py``): ``{"job_id"}`` on submit, ``{"status","message"}`` for status, ``{"code","message"}``
errors, ``Authorization: Bearer`` or ``x-api-key``. Bodies are parsed into the content area's commands before a
service is called; the rules live in ``domain.content``.

Routers are matched in the order listed: a router whose fixed paths sit under another's ``{param}`` path
(``/content-configs/merge/...`` under ``/content-configs/{config_id}``) goes first.
"""

from __future__ import annotations

from resolvers.rest.content import (
    adaptation,
    analysis,
    channels,
    classification,
    configs,
    generation,
    joblist,
    merge,
)
from resolvers.rest.content.dialect import ContentDialect
from resolvers.rest.surface import RateLimit, Surface

SURFACE = Surface(
    name="content-services",
    prefix="/brandbrain",
    title="Content services API",
    description=(
        "Content generation, analysis (review summaries, tone of voice, product classification) and adaptation "
        "(channel, tone of voice, translation) jobs, and content configurations. Live progress is a GraphQL "
        "subscription."
    ),
    dialect=ContentDialect(),
    routers=[
        generation.router,
        merge.router,
        configs.router,
        channels.router,
        joblist.router,
        adaptation.router,
        analysis.router,
        classification.router,
    ],
    allow_x_api_key=True,
    # The document sets no limit; operators can (SHOPWRIGHT_RATE_LIMITS {"content-services.all": N}).
    rate_limits=[RateLimit("all", 0)],
)
