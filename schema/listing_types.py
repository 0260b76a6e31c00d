"""The listing studio's GraphQL types: products with their images, generated assets, and the inputs of the paid
mutations (turned into the REST surface's bodies, so the same commands parse them)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from domain.db import UnitOfWork
from domain.errors import NotFound
from domain.listing.assets import AssetView, ListingAssets, asset_ref
from domain.listing.products import ListingProduct as ProductView
from domain.listing.requests import product_id_of, product_ref
from domain.listing.service import READ, ListingService
from domain.media.models import MediaFile
from schema.relay import Node, from_global_id, to_global_id
from schema.types import Info

PRODUCT_TYPE = "ListingProduct"
ASSET_TYPE = "ListingAsset"
CATALOG_PRODUCT_TYPE = "Product"  # the catalog's type: the same rows, so its ids name listing products too


def listing_service(info: Info, session: AsyncSession | UnitOfWork) -> ListingService:
    services = info.context.services
    return ListingService(session, media=services.media, plans=services.plans)


def absolute(info: Info, path: str) -> str:
    """A path on this service as an absolute URL (SHOPWRIGHT_PUBLIC_URL, else the request's own base)."""
    return info.context.services.public_base(str(info.context.request.base_url)) + path


def media_url(info: Info, media: MediaFile) -> str:
    """A signed, expiring link to a stored file (signed now: links expire, the rows do not)."""
    return absolute(info, info.context.services.media.urls.sign(media).path)


def product_arg(value: str) -> str:
    """What an argument names a product by: a ListingProduct or catalog Product global id, ``prod_123`` or
    ``123`` (as the REST body's ``productId``); another type's global id names nothing."""
    try:
        kind, raw = from_global_id(value)
    except NotFound:
        return value
    if kind not in (PRODUCT_TYPE, CATALOG_PRODUCT_TYPE):
        raise NotFound("No ListingProduct with this id.")
    return raw


@strawberry.type(description="A stored image: a signed link that expires (ask again for a fresh one).")
class ListingImage:
    url: str
    width: int | None
    height: int | None
    content_type: str


@strawberry.type(description="A catalog product as the listing studio shows it: its images and a category.")
class ListingProduct(Node):
    product_id: str = strawberry.field(description="The id the listing REST surface uses (prod_123).")
    title: str
    description: str | None
    category: str | None
    images: list[ListingImage]
    created_at: datetime | None

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        try:
            number = product_id_of(raw_id)
        except ValueError:
            raise NotFound("No ListingProduct with this id.") from None
        view = await info.context.read(lambda s, p: listing_service(info, s).product(p, number))
        return cls.of(info, view)

    @classmethod
    def of(cls, info: Info, view: ProductView) -> Self:
        product = view.product
        return cls(
            id=to_global_id(PRODUCT_TYPE, product.id),
            product_id=product_ref(product.id),
            title=product.title,
            description=product.content,
            category=view.category,
            images=[
                ListingImage(url=media_url(info, m), width=m.width, height=m.height, content_type=m.content_type)
                for m in view.images
            ],
            created_at=product.created_at,
        )


@strawberry.enum
class ListingAssetStatus(Enum):
    GENERATED = "generated"
    APPROVED = "approved"
    REJECTED = "rejected"


@strawberry.type(description="A generated listing image, with how it fared against its platform's rules.")
class ListingAsset(Node):
    asset_id: str = strawberry.field(description="The id the listing REST surface uses (asset_<uuid>).")
    product_id: str = strawberry.field(description="prod_123")
    job_id: str | None = strawberry.field(description="The image job that made it (job_<uuid>).")
    style: str
    platform: str
    width: int
    height: int
    status: ListingAssetStatus
    url: str | None
    renderer: str
    compliance: JSON = strawberry.field(description='{"platform", "style", "passed", "checks": [...]}')
    created_at: datetime
    reviewed_at: datetime | None

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        async def load(session: AsyncSession, principal: Any) -> AssetView:
            service = listing_service(info, session)
            await service.check_access(principal, READ)
            return await service.asset_view(principal, await ListingAssets(session).get(principal, raw_id))

        return cls.of(info, await info.context.read(load))

    @classmethod
    def of(cls, info: Info, view: AssetView) -> Self:
        asset = view.asset
        return cls(
            id=to_global_id(ASSET_TYPE, asset.id),
            asset_id=asset_ref(asset.id),
            product_id=product_ref(asset.product_id),
            job_id=f"job_{asset.job_id}" if asset.job_id else None,
            style=asset.style,
            platform=asset.platform,
            width=asset.width,
            height=asset.height,
            status=ListingAssetStatus(asset.status),
            url=media_url(info, view.media) if view.media is not None else None,
            renderer=asset.renderer,
            compliance=cast(JSON, asset.compliance or {}),
            created_at=asset.created_at,
            reviewed_at=asset.reviewed_at,
        )


# --- inputs ----------------------------------------------------------------------------------------------


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@strawberry.input(description="Square sizes: 1000, 1200, 1500 or 2000 (amazon always makes 2000).")
class ListingOutputSizeInput:
    w: int
    h: int


@strawberry.input(description="POST /ai/image's body, field by field.")
class GenerateListingImageInput:
    product_id: strawberry.ID
    style: str = strawberry.field(description="An image style key, such as CLEAN_WHITE_BG.")
    platform: str | None = strawberry.field(default=None, description="general (default), amazon, shopify ...")
    output_size: ListingOutputSizeInput | None = None
    primary_image_url: str | None = None
    custom_prompt: str | None = None
    context: str | None = None
    season: str | None = None
    ai_model: str | None = strawberry.field(default=None, description="auto (default), openai or gemini.")

    def body(self) -> dict[str, Any]:
        size = self.output_size
        return _given(
            {
                "productId": product_arg(self.product_id),
                "style": self.style,
                "platform": self.platform,
                "outputSize": {"w": size.w, "h": size.h} if size is not None else None,
                "primaryImageUrl": self.primary_image_url,
                "customPrompt": self.custom_prompt,
                "context": self.context,
                "season": self.season,
                "aiModel": self.ai_model,
            }
        )


@strawberry.input(description="POST /ai/listing's body, field by field.")
class GenerateListingCopyInput:
    product_id: strawberry.ID
    platform: str | None = strawberry.field(default=None, description="general (default), amazon, flipkart ...")
    components: list[str] | None = strawberry.field(
        default=None, description="Some of title, bullets, description, keywords (default: all)."
    )
    seed_keywords: list[str] | None = None
    tone: str | None = strawberry.field(default=None, description="professional, casual or luxury.")
    target_audience: str | None = None

    def body(self) -> dict[str, Any]:
        return _given(
            {
                "productId": product_arg(self.product_id),
                "platform": self.platform,
                "components": self.components,
                "seedKeywords": self.seed_keywords,
                "tone": self.tone,
                "targetAudience": self.target_audience,
            }
        )
