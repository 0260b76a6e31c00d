"""The content services: one module per resource (generation, configurations and merging them, feedback,
channels, the job list, analysis, classification, adaptation), merged into ``ContentQuery`` and
``ContentMutation``."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.content.adaptation import ContentAdaptationMutation, ContentAdaptationQuery
from schema.content.analysis import ContentAnalysisMutation, ContentAnalysisQuery
from schema.content.channels import ContentChannelMutation, ContentChannelQuery
from schema.content.classification import ProductClassificationMutation, ProductClassificationQuery
from schema.content.configs import ContentConfigMutation, ContentConfigQuery
from schema.content.feedback import ContentFeedbackMutation
from schema.content.generation import ContentGenerationMutation, ContentGenerationQuery
from schema.content.job_list import ContentJobsQuery
from schema.content.merge import ContentConfigMergeMutation, ContentConfigMergeQuery

ContentQuery = merge_types(
    "ContentQuery",
    (
        ContentConfigQuery,
        ContentGenerationQuery,
        ContentConfigMergeQuery,
        ContentChannelQuery,
        ContentJobsQuery,
        ContentAdaptationQuery,
        ContentAnalysisQuery,
        ProductClassificationQuery,
    ),
)
ContentMutation = merge_types(
    "ContentMutation",
    (
        ContentGenerationMutation,
        ContentConfigMutation,
        ContentFeedbackMutation,
        ContentConfigMergeMutation,
        ContentChannelMutation,
        ContentAdaptationMutation,
        ContentAnalysisMutation,
        ProductClassificationMutation,
    ),
)

__all__ = ["ContentMutation", "ContentQuery"]
