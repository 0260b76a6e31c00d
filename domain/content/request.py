"""The content-generation submit body, as the content-services document defines it, validated."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from domain.content.config_schema import BAD_REQUEST, invalid_from
from domain.errors import InvalidInput

NonEmpty = Annotated[str, StringConstraints(min_length=1)]


def _id_as_text(value: Any) -> Any:
    # The document types product ids as strings; the store API hands out integers. Take both.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ProductId = Annotated[NonEmpty, BeforeValidator(_id_as_text)]
AttributeValue = str | int | float | bool | list[str] | None

MAX_PRODUCTS = 1000
MAX_REVIEWS_USED = 200  # "Only the first 200 reviews will be used"


class Review(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    review_id: str | None = None
    review_text: NonEmpty
    cust: str | None = None


class Attribute(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: NonEmpty
    value: AttributeValue = None


class ProductIn(BaseModel):
    """A product as the document defines it. Extra fields are kept out of the prompt but do no harm."""

    model_config = ConfigDict(extra="ignore", strict=True)

    product_id: NonEmpty
    product_name: NonEmpty
    product_description: NonEmpty
    brand: NonEmpty
    market: NonEmpty
    language: NonEmpty
    variant_group_id: NonEmpty
    keywords: dict[NonEmpty, list[str]] | None = None
    reviews: list[Review] | None = None
    attributes: Annotated[list[Attribute], Field(min_length=1)]


class GenerationParams(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    market: NonEmpty | None = None
    channel: NonEmpty | None = None
    language: NonEmpty | None = None
    content_types: Annotated[list[NonEmpty], Field(min_length=1)]
    # An object (the configuration itself), or a string naming a saved configuration (its config_id or name),
    # as the document's merge operation accepts either.
    content_config: dict[str, Any] | NonEmpty | None = None  # validated by the service, with the merge
    # A saved configuration (config_id or name) that ``content_config`` overrides part by part.
    content_config_id: NonEmpty | None = None

    @model_validator(mode="after")
    def _unique_types(self) -> GenerationParams:
        seen: set[str] = set()
        for name in self.content_types:
            if name in seen:
                raise ValueError(f"content type '{name}' is listed twice")
            seen.add(name)
        if isinstance(self.content_config, str) and self.content_config_id is not None:
            raise ValueError("name a saved configuration once: content_config (string) or content_config_id")
        return self


class GenerationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    external_tracking_id: NonEmpty | None = None
    products: Annotated[list[ProductIn], Field(min_length=1, max_length=MAX_PRODUCTS)] | None = None
    product_ids: Annotated[list[ProductId], Field(min_length=1, max_length=MAX_PRODUCTS)] | None = None
    skip_grouping: bool = False
    content_generation_params: GenerationParams
    generation_model_name: NonEmpty | None = None
    callback_url: NonEmpty | None = None

    @model_validator(mode="after")
    def _one_source(self) -> GenerationRequest:
        if self.products is not None and self.product_ids is not None:
            raise ValueError("provide either products or product_ids, not both")
        if self.products is None and self.product_ids is None:
            raise ValueError("provide products or product_ids")
        ids = [p.product_id for p in self.products] if self.products is not None else list(self.product_ids or [])
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate product ids: {', '.join(duplicates)}")
        return self


def parse_request(body: Any) -> GenerationRequest:
    if not isinstance(body, dict):
        raise InvalidInput.field("body", "The request body must be a JSON object.", code=BAD_REQUEST)
    try:
        return GenerationRequest.model_validate(body)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def product_ids_of(request: GenerationRequest) -> list[str]:
    if request.products is not None:
        return [p.product_id for p in request.products]
    return list(request.product_ids or [])
