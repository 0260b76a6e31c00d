"""What the listing studio's writes take: typed commands parsed from the request bodies (REST and GraphQL alike)
with ``domain.validation.parse``, in the listing document's field names (``productId``, ``outputSize`` ...).

Every problem of a body is reported at once, each on its field, with the allowed values named. Whether the
product exists in the caller's workspace is the service's question (another workspace's product is a 404, never
a 400 that would confirm it exists).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from domain.listing.pricing import AI_MODELS, COPY_COMPONENTS, COPY_CREDITS, COPY_TONES, IMAGE_PLATFORMS, STYLES
from domain.listing.pricing import SIZE_SURCHARGE as _SIZES
from domain.validation import INT_MAX, REQUIRED, Command, HttpUrl, Present, Str, rule_error

PRODUCT_PREFIX = "prod_"
_PRODUCT_ID = re.compile(r"^(?:prod_)?([0-9]{1,10})$")
SIZES = tuple(sorted(_SIZES))


def product_id_of(value: Any) -> int:
    """A product id as the document writes it (``prod_123``), bare (``"123"``) or as a JSON integer."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        match = _PRODUCT_ID.match(value.strip())
        number = int(match.group(1)) if match else None
    if number is None or not 0 < number <= INT_MAX:
        raise rule_error("product_id", "Must be a product id such as prod_123.")
    return number


def product_ref(product_id: int) -> str:
    return f"{PRODUCT_PREFIX}{product_id}"


def _one_of(values: Iterable[str], what: str, *, default: str | None = None) -> BeforeValidator:
    """One of ``values``; null is ``default`` (left to the field's own markers when there is none)."""
    allowed = tuple(values)

    def check(value: Any) -> str | None:
        if value is None:
            return default
        if not isinstance(value, str) or value not in allowed:
            shown = value if isinstance(value, str) and len(value) <= 64 else "that value"
            raise rule_error("in", f"Unknown {what} '{shown}'. Use one of: {', '.join(allowed)}.", values=list(allowed))
        return value

    return BeforeValidator(check)


def _size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SIZES:
        raise rule_error(
            "in", f"Must be one of {', '.join(str(s) for s in SIZES)} (pixels).", values=[str(s) for s in SIZES]
        )
    return value


def _object_or_none(value: Any) -> Any:
    if value is not None and not isinstance(value, dict):
        raise rule_error("object", 'Must be an object such as {"w": 2000, "h": 2000}.')
    return value


def _keywords(value: Any) -> list[str]:
    """``seedKeywords``: the document's comma-separated string (a list of strings is taken too)."""
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = value
    else:
        raise rule_error("string", "Must be a comma-separated string of keywords.")
    out: list[str] = []
    for part in parts:
        word = " ".join(part.split())
        if not word:
            continue
        if len(word) > 100:
            raise rule_error("max_length", "Each keyword must be at most 100 characters.", max=100)
        if "\x00" in word:
            raise rule_error("text", "Strings must not contain NUL characters.")
        if word not in out:
            out.append(word)
    if len(out) > 50:
        raise rule_error("max_items", "At most 50 keywords.", max=50)
    return out


def _components(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise rule_error("array", f"Must be an array of components: {', '.join(COPY_COMPONENTS)}.")
    unknown = [v for v in value if not isinstance(v, str) or v not in COPY_COMPONENTS]
    if unknown:
        shown = ", ".join(f"'{v}'" if isinstance(v, str) else "a non-string" for v in unknown[:5])
        raise rule_error(
            "in", f"Unknown component {shown}. Use some of: {', '.join(COPY_COMPONENTS)}.", values=list(COPY_COMPONENTS)
        )
    if not value:
        raise rule_error("min_items", "Ask for at least one component.", min=1)
    return [c for c in COPY_COMPONENTS if c in value]  # the document's order, each once


ProductId = Annotated[int, BeforeValidator(product_id_of), Field(description="The product: prod_123 (or 123).")]
Size = Annotated[int, BeforeValidator(_size)]


class ListingCommand(Command):
    """The document's camelCase names on the wire; Python callers may use either."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class OutputSize(ListingCommand):
    w: Annotated[Size, Field(description="Width in pixels: 1000, 1200, 1500 or 2000.")]
    h: Annotated[Size, Field(description="Height in pixels: the same as w (images are square).")]

    @model_validator(mode="after")
    def _square(self) -> OutputSize:
        if self.w != self.h:
            raise ValueError(f"Images are square: w and h must be equal (got {self.w} x {self.h}).")
        return self


class ImageRequest(ListingCommand):
    """``POST /ai/image``."""

    product_id: Annotated[ProductId | None, REQUIRED, Present, Field(alias="productId")] = None
    # Before-validators run last-listed first: Present reports a missing style before the value is checked.
    style: Annotated[
        str | None, _one_of(STYLES, "style"), REQUIRED, Present, Field(description="An image style key.")
    ] = None
    platform: Annotated[
        str, _one_of(IMAGE_PLATFORMS, "platform", default="general"), Field(description="Target platform.")
    ] = "general"
    output_size: Annotated[
        OutputSize | None,
        BeforeValidator(_object_or_none),
        Field(alias="outputSize", description="Square size; amazon always makes 2000."),
    ] = None
    primary_image_url: Annotated[
        HttpUrl | None,
        Field(alias="primaryImageUrl", max_length=2048, description="Source image; default: the product's first."),
    ] = None
    custom_prompt: Annotated[Str | None, Field(alias="customPrompt", max_length=1000)] = None
    context: Annotated[Str | None, Field(max_length=500, description="Usage context for lifestyle scenes.")] = None
    season: Annotated[Str | None, Field(max_length=100, description="Seasonal theme for SEASONAL_VARIANT.")] = None
    ai_model: Annotated[str, _one_of(AI_MODELS, "aiModel", default="auto"), Field(alias="aiModel")] = "auto"

    @property
    def requested_size(self) -> int | None:
        return self.output_size.w if self.output_size is not None else None


class CopyRequest(ListingCommand):
    """``POST /ai/listing``."""

    product_id: Annotated[ProductId | None, REQUIRED, Present, Field(alias="productId")] = None
    platform: Annotated[
        str, _one_of(COPY_CREDITS, "platform", default="general"), Field(description="Target platform.")
    ] = "general"
    components: Annotated[
        list[str], BeforeValidator(_components), Field(description="Some of title, bullets, description, keywords.")
    ] = Field(default_factory=lambda: list(COPY_COMPONENTS))
    seed_keywords: Annotated[
        list[str], BeforeValidator(_keywords), Field(alias="seedKeywords", description="Comma-separated keywords.")
    ] = Field(default_factory=list)
    tone: Annotated[str | None, _one_of(COPY_TONES, "tone")] = None
    target_audience: Annotated[Str | None, Field(alias="targetAudience", max_length=500)] = None


class CreateProduct(ListingCommand):
    """``POST /products``: a catalog product, with its image fetched from ``imageUrl``."""

    title: Annotated[Str | None, REQUIRED, Present, Field(max_length=255)] = None
    description: Annotated[Str | None, Field(max_length=20000)] = None
    category: Annotated[Str | None, Field(max_length=255, description="For style recommendations.")] = None
    image_url: Annotated[
        HttpUrl | None, Field(alias="imageUrl", max_length=2048, description="Public http(s) URL of an image.")
    ] = None
