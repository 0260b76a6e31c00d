"""Content generation, content configurations and feedback: one module per resource, merged into
``ContentQuery`` and ``ContentMutation``."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.content.configs import ContentConfigMutation, ContentConfigQuery
from schema.content.feedback import ContentFeedbackMutation
from schema.content.generation import ContentGenerationMutation, ContentGenerationQuery

ContentQuery = merge_types("ContentQuery", (ContentConfigQuery, ContentGenerationQuery))
ContentMutation = merge_types(
    "ContentMutation", (ContentGenerationMutation, ContentConfigMutation, ContentFeedbackMutation)
)

__all__ = ["ContentMutation", "ContentQuery"]
