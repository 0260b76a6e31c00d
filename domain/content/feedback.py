"""An editor's correction of a generated product's content: the feedback body, validated."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from domain.content.documents import parse_document
from domain.validation import StrictCommand, rule_error

PdpContent = dict[str, str | list[str]]
PRODUCT_ID = "Required; a non-empty string."
PDP = "Required; an object of content type to text (or array of texts)."
HISTORY = "Required; an array of comments."


def _product_id(value: Any) -> str:
    # Integers too: the store API hands out integer ids, and a job's catalog products are keyed by them.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None or value == "":
        raise rule_error("required", PRODUCT_ID)
    if not isinstance(value, str):
        raise rule_error("string", PRODUCT_ID)
    return value


def _pdp(value: Any) -> PdpContent:
    """PDP content: an object whose values are strings or arrays of strings."""
    if not isinstance(value, dict):
        raise rule_error("object", PDP)
    for key, item in value.items():
        if not isinstance(item, str) and not (isinstance(item, list) and all(isinstance(x, str) for x in item)):
            raise rule_error("invalid", f"'{key}' must be a string or an array of strings.", key=key)
    return value


def _history(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise rule_error("array", HISTORY)
    return value


def _comment(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise rule_error("object", "Each comment must be an object.")
    for key in ("content_type", "feedback"):
        if not isinstance(item.get(key), str) or not item.get(key):
            raise rule_error("required", f"'{key}' is required and must be a non-empty string.", key=key)
    initial = item.get("initial_content")
    if initial is not None and not isinstance(initial, str | list):
        raise rule_error("invalid", "'initial_content' must be a string or an array of strings.", key="initial_content")
    return item


Comment = Annotated[dict[str, Any], BeforeValidator(_comment)]


class FeedbackCommand(StrictCommand):
    """The feedback body (``POST /content-generation/jobs/{job_id}/feedback``, GraphQL
    ``submitContentFeedback``). Whether the product belongs to the job is the service's check."""

    product_id: Annotated[str, BeforeValidator(_product_id)]
    initial_pdp_content: Annotated[PdpContent, BeforeValidator(_pdp)]
    corrected_pdp_content: Annotated[PdpContent, BeforeValidator(_pdp)]
    comment_history: Annotated[list[Comment], BeforeValidator(_history)]


_WORDS = {
    "unknown": "Unknown field.",
    "product_id:required": PRODUCT_ID,
    "initial_pdp_content:required": PDP,
    "corrected_pdp_content:required": PDP,
    "comment_history:required": HISTORY,
}


def parse_feedback(data: Any) -> FeedbackCommand:
    """A feedback body as ``FeedbackCommand``, or ``InvalidRequest`` listing every problem."""
    return parse_document(FeedbackCommand, data, reword=_WORDS, unknown_fields="last")
