"""Editors' feedback on generated content: later generations get the latest corrections as examples."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from domain.content.feedback import parse_feedback
from domain.content.service import ContentGenerationService
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.jobs import job_id_arg
from schema.types import Info


@strawberry.type
class ContentFeedback(FromModel):
    rest_id = "feedback_id"

    feedback_id: int
    job_id: str
    product_id: str
    created_at: datetime


@strawberry.input
class ContentFeedbackInput:
    job_id: strawberry.ID
    product_id: str
    initial_pdp_content: JSON
    corrected_pdp_content: JSON
    comment_history: JSON


@strawberry.type
class ContentFeedbackPayload(Payload):
    feedback: ContentFeedback | None = None


@strawberry.type
class ContentFeedbackMutation:
    @payload_mutation(description="An editor's correction; later generations get it as an example.", camel=False)
    async def submit_content_feedback(self, info: Info, input: ContentFeedbackInput) -> ContentFeedbackPayload:
        principal = await info.context.principal()
        command = parse_feedback(
            {
                "product_id": input.product_id,
                "initial_pdp_content": input.initial_pdp_content,
                "corrected_pdp_content": input.corrected_pdp_content,
                "comment_history": input.comment_history,
            }
        )
        row = await info.context.scope.write(
            lambda uow: ContentGenerationService(uow).submit_feedback(principal, job_id_arg(input.job_id), command)
        )
        return ContentFeedbackPayload(feedback=ContentFeedback.from_model(row))
