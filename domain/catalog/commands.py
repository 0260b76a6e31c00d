"""What catalog writes and lists take: command models (parsed by every surface with
``domain.validation.parse``) and list filters.

A create must send the fields marked ``REQUIRED``; an update (``partial``) changes only the fields sent
(``Command.sent()``). Ids that must name live objects of the caller's workspace are marked ``Ref``, values no
other object may hold ``Unique`` (both checked by ``parse`` with every other problem of the body). Unknown
fields are ignored, as the store API does. The accepted types are the store document's: integers are JSON
integers, booleans are ``true``/``false`` or 1/0, numbers are finite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from domain.filters import TitleFilter, TreeFilter
from domain.slugs import slugify
from domain.validation import (
    REQUIRED,
    Array,
    Bool01,
    Command,
    HttpUrl,
    IdList,
    JsonObject,
    NotNull,
    Number,
    Present,
    Ref,
    Required,
    Str,
    StrictInt32,
    Unique,
    rule_error,
)

MAX_SYNC_IDS = 1000  # ids one link replacement may name

Title = Annotated[Str | None, REQUIRED, Present, Field(max_length=255)]
Text = Str | None
Line = Annotated[Str | None, Field(max_length=255)]


def _sluggable(value: str | None) -> str | None:
    """Kept as sent (the service makes it URL-safe); one that keeps no letter or digit is refused. Blank: made
    from the title."""
    if value and value.strip() and not slugify(value):
        raise rule_error("slug", "Must contain letters or digits.")
    return value


Slug = Annotated[
    Str | None,
    Field(max_length=255, description="Taken as sent, made URL-safe; generated from the title when left out."),
    AfterValidator(_sluggable),
]
TAKEN = "This slug is already taken."
Flag = Annotated[Bool01, NotNull]
JsonList = Annotated[Array, NotNull]


Code10 = Annotated[Str | None, Field(max_length=10)]
Code16 = Annotated[Str | None, Field(max_length=16)]
Code50 = Annotated[Str | None, Field(max_length=50)]
Code64 = Annotated[Str | None, Field(max_length=64)]
Url = Annotated[Str | None, Field(max_length=2048)]


class BrandCommand(Command):
    title: Title = None
    slug: Annotated[Slug, Unique("brand.slug", TAKEN, slugify)] = None
    subtitle: Text = None
    link_title: Text = None
    content: Text = None
    content_bottom: Text = None
    meta_title: Line = None
    meta_keywords: Line = None
    meta_description: Text = None
    enabled: Flag = True


class CategoryCommand(Command):
    title: Title = None
    slug: Annotated[Slug, Unique("category.slug", TAKEN, slugify)] = None
    parent_id: Annotated[
        StrictInt32 | None,
        Ref("category", cycle="A category cannot move under itself or a descendant.", cycle_code="category_cycle"),
        Field(description="The parent category."),
    ] = None
    subtitle: Text = None
    link_title: Text = None
    content_top: Text = None
    content_bottom: Text = None
    meta_title: Line = None
    meta_keywords: Line = None
    meta_description: Text = None
    enabled: Flag = True
    sort_order: Annotated[StrictInt32, NotNull] = 0


class ProductCommand(Command):
    title: Title = None
    slug: Annotated[Slug, Unique("product.slug", TAKEN, slugify)] = None
    subtitle: Text = None
    link_title: Text = None
    content: Text = None
    content_bottom: Text = None
    highlights: JsonList = Field(default_factory=list)
    summary: Text = None
    meta_title: Line = None
    meta_keywords: Line = None
    meta_description: Text = None
    review_quantity: StrictInt32 | None = None
    review_score: Number | None = None
    enabled: Flag = True
    in_sitemap: Flag = True
    brand_id: Annotated[StrictInt32 | None, Ref("brand"), Field(description="The product's brand.")] = None
    upc: Code64 = None
    ean: Code64 = None
    isbn: Code64 = None
    mpn: Line = None
    main_image_url: Url = None
    generated: Flag = False
    # Content-service fields (the unified product); the store document does not list them.
    external_product_code: Line = None
    market: Code16 = None
    language: Code16 = None
    variant_group_id: Line = None
    keywords: Annotated[JsonList, Field(description="Keyword groups for content generation.")] = Field(
        default_factory=list
    )
    attributes: Annotated[JsonObject, NotNull] = Field(default_factory=dict)
    reviews: JsonList = Field(default_factory=list)


class OfferCommand(Command):
    merchant: Title = None
    title: Title = None
    uuid: Line = None
    merchant_offer_id: Annotated[Line, Required("merchant_product_id")] = None
    merchant_product_id: Annotated[Line, Field(description="Deprecated alias of merchant_offer_id.")] = None
    summary: Text = None
    features: JsonList = Field(default_factory=list)
    currency: Code10 = None
    price: Number | None = None
    price_full: Number | None = None
    min_price: Number | None = None
    max_price: Number | None = None
    condition: Code50 = None
    stock_available: Flag = True
    enabled: Flag = True
    locale: Code10 = None
    images: JsonList = Field(default_factory=list)
    url_detail: Annotated[
        HttpUrl | None,
        REQUIRED,
        Present,
        Field(max_length=2048, description="The full URL of the product on the merchant's site (http or https)."),
    ] = None

    @model_validator(mode="after")
    def _alias(self) -> OfferCommand:
        """``merchant_product_id`` is the deprecated name of ``merchant_offer_id``: when sent, it is the one."""
        if self.merchant_product_id is not None:
            self.merchant_offer_id = self.merchant_product_id
            self.model_fields_set.add("merchant_offer_id")
        self.model_fields_set.discard("merchant_product_id")
        return self


SyncIds = Annotated[IdList, REQUIRED, Present, Field(max_length=MAX_SYNC_IDS)]


class ProductCategoriesCommand(Command):
    """Every category of a product, in order (an empty list removes them all)."""

    category_ids: Annotated[SyncIds, Ref("category"), Field(description="The product's categories, in order.")] = Field(
        default_factory=list
    )


class OfferProductsCommand(Command):
    """Every product an offer is for (an empty list removes them all)."""

    product_ids: Annotated[SyncIds, Ref("product"), Field(description="The offer's products.")] = Field(
        default_factory=list
    )


# --- list filters ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFilter(TitleFilter):
    brand_id: int | None = None
    category_id: int | None = None
    generated: bool | None = None


@dataclass(frozen=True)
class OfferFilter(TitleFilter):
    merchant: str | None = None
    product_id: int | None = None


@dataclass(frozen=True)
class CategoryFilter(TreeFilter):
    """A list of product categories."""


@dataclass(frozen=True)
class BrandFilter(TitleFilter):
    """A list of brands."""
