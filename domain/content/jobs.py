"""The content area's job kinds, registered by the composition root (``CONTENT_KINDS``). Every kind's name starts
with ``content.``: the client's job list shows the content-service jobs by that prefix."""

from __future__ import annotations

from typing import Any

from domain.content import pipeline
from domain.content.adaptation.kinds import ADAPTATION_KINDS
from domain.content.analysis.kinds import REVIEW_SUMMARISER, TONE_OF_VOICE_ANALYSIS
from domain.content.classification.jobs import PRODUCT_CLASSIFICATION
from domain.content.merge import CONFIG_MERGE
from domain.content.request import GenerationJobParams
from domain.jobs.registry import JobKind

CONTENT_GENERATION = JobKind(
    name="content.generation",
    params=GenerationJobParams,
    handler=pipeline.run,
    description="Writes product content (titles, bullets, descriptions ...) for products or variant groups.",
)

# Every content-service job kind, in the order they were added.
CONTENT_KINDS: tuple[JobKind[Any], ...] = (
    CONTENT_GENERATION,
    CONFIG_MERGE,
    *ADAPTATION_KINDS,
    REVIEW_SUMMARISER,
    TONE_OF_VOICE_ANALYSIS,
    PRODUCT_CLASSIFICATION,
)
