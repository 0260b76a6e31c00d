"""The content area's job kinds, registered by the composition root."""

from __future__ import annotations

from domain.content import pipeline
from domain.content.request import GenerationJobParams
from domain.jobs.registry import JobKind

CONTENT_GENERATION = JobKind(
    name="content.generation",
    params=GenerationJobParams,
    handler=pipeline.run,
    description="Writes product content (titles, bullets, descriptions ...) for products or variant groups.",
)
