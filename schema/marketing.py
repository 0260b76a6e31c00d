"""Storefront marketing posts in GraphQL: ``generateMarketingPosts`` (the REST surface's command, its problems as
``userErrors``; follow the job with ``jobProgress``) and ``marketingPosts(productId)`` with signed image links.
Product ids: a catalog Product's global id, ``prod_123`` or ``123``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.errors import NotFound
from domain.listing.requests import product_id_of
from domain.marketing.requests import PostRequest
from domain.marketing.service import MANAGE, MarketingService, PostView
from domain.paging import Page
from domain.validation import parse_now
from schema.errors import Payload, payload_mutation
from schema.jobs import Job
from schema.listing_types import media_url, product_arg
from schema.relay import Connection, page_request
from schema.types import Info


def _product(value: str) -> int:
    try:
        return product_id_of(product_arg(value))
    except ValueError:
        raise NotFound("No product with this id.") from None


@strawberry.type(description="The text laid over a post's image.")
class PostOverlays:
    headline: str
    price_badge: str | None
    cta: str


@strawberry.type(description="A generated marketing post of a catalog product.")
class MarketingPost:
    id: strawberry.ID
    product_id: strawberry.ID = strawberry.field(description="The catalog product's id (prod_123 form).")
    job_id: strawberry.ID | None
    storefront_post_id: strawberry.ID | None
    position: int
    angle: str = strawberry.field(description="benefit, social_proof or urgency.")
    caption: str
    hashtags: list[str]
    cta: str
    overlays: PostOverlays
    image_type: str
    image_url: str | None = strawberry.field(description="A signed link to the image; it expires (ask again).")
    width: int | None
    height: int | None
    created_at: datetime

    @classmethod
    def of(cls, info: Info, view: PostView) -> MarketingPost:
        post, overlays = view.post, view.post.overlays or {}
        return cls(
            id=strawberry.ID(post.id),
            product_id=strawberry.ID(f"prod_{post.product_id}"),
            job_id=strawberry.ID(post.job_id) if post.job_id else None,
            storefront_post_id=strawberry.ID(view.storefront_post_id) if view.storefront_post_id else None,
            position=post.position,
            angle=post.angle,
            caption=post.caption,
            hashtags=list(post.hashtags or []),
            cta=post.cta,
            overlays=PostOverlays(
                headline=str(overlays.get("headline") or ""),
                price_badge=overlays.get("priceBadge"),
                cta=str(overlays.get("cta") or post.cta),
            ),
            image_type=post.image_type,
            image_url=media_url(info, view.image) if view.image is not None else None,
            width=view.image.width if view.image is not None else None,
            height=view.image.height if view.image is not None else None,
            created_at=post.created_at,
        )


@strawberry.input(description="generate-post's query parameters; see docs/marketing-posts.md for each.")
class GenerateMarketingPostsInput:
    product_id: strawberry.ID
    posts_count: int | None = strawberry.field(default=None, description="1-3 (default 3).")
    generate_images: bool | None = None
    use_product_images: bool | None = None
    image_prompt: str | None = None
    ad_type: str | None = None
    tone: str | None = None
    focus_points: str | None = None
    target_audience: str | None = None
    image_type: str | None = strawberry.field(default=None, description="post or story.")
    art_style: str | None = strawberry.field(default=None, description="hero, negative_space, depth, lifestyle.")
    mood: str | None = strawberry.field(default=None, description="luxury, soft_feminine, modern, medical_clean.")
    background: str | None = strawberry.field(default=None, description="gradient, surface_backdrop, pastel, auto.")
    product_composition: str | None = strawberry.field(default=None, description="single_hero, grouped, side_layout.")
    visual_boldness: str | None = strawberry.field(default=None, description="low, medium, high.")

    def body(self) -> dict[str, Any]:
        """The REST query's names and values (left out when not given, so the defaults apply)."""
        names = {
            "posts_count": "postsCount",
            "generate_images": "generateImages",
            "use_product_images": "useProductImages",
            "image_prompt": "imagePrompt",
            "ad_type": "adType",
            "tone": "tone",
            "focus_points": "focusPoints",
            "target_audience": "targetAudience",
            "image_type": "imageType",
            "art_style": "artStyle",
            "mood": "mood",
            "background": "background",
            "product_composition": "productComposition",
            "visual_boldness": "visualBoldness",
        }
        return {wire: getattr(self, name) for name, wire in names.items() if getattr(self, name) is not None}


@strawberry.type
class GenerateMarketingPostsPayload(Payload):
    job: Job | None = strawberry.field(default=None, description="Queued; follow it with jobProgress.")


@strawberry.type
class MarketingQuery:
    @strawberry.field(description="Generated marketing posts, newest first (a job's posts in order).")
    async def marketing_posts(
        self, info: Info, product_id: strawberry.ID | None = None, first: int = 20, after: str | None = None
    ) -> Connection[MarketingPost]:
        number = _product(product_id) if product_id is not None else None
        request = page_request(first, after)

        async def read(session: AsyncSession, principal: Principal) -> Page[PostView]:
            return await MarketingService(session).posts(principal, number, request)

        page = await info.context.read(read)
        return Connection.of(page, lambda view: MarketingPost.of(info, view))


@strawberry.type
class MarketingMutation:
    @payload_mutation(description="Queue 1-3 marketing posts for a product (as POST .../generate-post).")
    async def generate_marketing_posts(
        self, info: Info, input: GenerateMarketingPostsInput
    ) -> GenerateMarketingPostsPayload:
        await info.context.require(MANAGE)  # before the input is read: not a problem with the input
        number = _product(input.product_id)
        command = parse_now(PostRequest, input.body())
        media = info.context.services.media
        job = await info.context.write(lambda uow, p: MarketingService(uow, media).submit(p, number, command))
        return GenerateMarketingPostsPayload(job=Job.from_model(job))
