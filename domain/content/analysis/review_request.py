"""The Review Summariser submit body, as the content-services document defines it, and the parameters its job
runs with."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from domain.catalog.models import REVIEW_TEXT_MAX
from domain.content.analysis.models import OUTPUT_ID_MAX
from domain.content.documents import Document, parse_document
from domain.content.locales import Language, Market
from domain.content.request import MAX_REVIEWS_USED, CallbackUrl, NonEmpty, ProductId, TrackingId

MAX_PRODUCT_IDS = 1000


ReviewText = Annotated[str, StringConstraints(min_length=1, max_length=REVIEW_TEXT_MAX)]


class ReviewSummaryRequest(Document):
    """``POST /content-analysis/review-summariser/jobs`` (GraphQL ``summariseReviews``)."""

    external_tracking_id: TrackingId | None = None
    market: Market
    language: Language
    product_desc: NonEmpty
    output_id: Annotated[str, StringConstraints(min_length=1, max_length=OUTPUT_ID_MAX)]
    # Only the first 200 are used; any number may be sent (the body's size limit bounds them).
    review_texts: Annotated[list[ReviewText], Field(min_length=1)] | None = None
    product_ids: Annotated[list[ProductId], Field(min_length=1, max_length=MAX_PRODUCT_IDS)] | None = None
    callback_url: CallbackUrl | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ReviewSummaryRequest:
        if self.review_texts is not None and self.product_ids is not None:
            raise ValueError("provide either review_texts or product_ids, not both")
        if self.review_texts is None and self.product_ids is None:
            raise ValueError("provide review_texts or product_ids")
        return self


def parse_review_request(data: Any) -> ReviewSummaryRequest:
    """A submit body as ``ReviewSummaryRequest``, or ``InvalidRequest`` listing every problem."""
    return parse_document(ReviewSummaryRequest, data)


class ReviewSummaryJobParams(BaseModel):
    """What a review-summariser job runs with: the request without its reviews, and the reviews that count (the
    first 200 texts sent, or the first 200 stored reviews of ``product_ids``, resolved when it was submitted)."""

    market: str
    language: str
    product_desc: str
    output_id: str
    source: Literal["review_texts", "product_ids"]
    product_ids: list[str] | None = None
    reviews: Annotated[list[str], Field(min_length=1, max_length=MAX_REVIEWS_USED)]
    reviews_received: int = Field(description="How many reviews the request named (texts sent, or stored).")
