"""Customer reviews of products: the type, the ``Product.productReviews`` connection (through a DataLoader for
its first page) and ``addProductReviews``. The review summariser reads these for ``product_ids``."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from domain.catalog.models import ProductReview as ReviewModel
from domain.catalog.reviews import MANAGE, ProductReviewService
from domain.paging import Page, PageRequest
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.relay import Connection, Node, int_id, page_request
from schema.types import Info


@strawberry.type(description="A customer review of a product, in the order reviews were added.")
class ProductReview(Node, FromModel):
    rest_id = "review_id"

    review_id: int
    text: str
    rating: float | None
    author: str | None
    external_review_id: str | None
    created_at: datetime

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        review_id = int_id("ProductReview", raw_id)
        return cls.from_model(await info.context.read(lambda s, p: ProductReviewService(s).get(p, review_id)))


@strawberry.input
class ProductReviewInput:
    text: str = strawberry.field(description="1 to 1000 characters.")
    rating: float | None = strawberry.field(default=None, description="0 to 5.")
    author: str | None = None
    external_review_id: str | None = strawberry.field(
        default=None, description="The review's id where it came from; unique per product."
    )


@strawberry.type
class AddProductReviewsPayload(Payload):
    reviews: list[ProductReview] | None = None


async def review_connection(
    info: Info, workspace_id: str, product_id: int, first: int, after: str | None
) -> Connection[ProductReview]:
    """A page of a product's reviews. The first page of every product on a page of products comes from one
    query (the loader); later pages are read for the one product asked."""
    request = page_request(first, after)
    if after is None:
        loaders = info.context.loaders.catalog
        rows = await loaders.product_reviews.load((workspace_id, product_id, request.limit))
        total = await loaders.product_review_counts.load((workspace_id, product_id))
        page: Page[ReviewModel] = Page.of(rows, total, PageRequest(limit=request.limit))
    else:
        page = await info.context.read(lambda s, p: ProductReviewService(s).page(p, product_id, request))
    return Connection.of(page, ProductReview.from_model)


@strawberry.type
class ProductReviewMutation:
    @payload_mutation(description="Add customer reviews to a product (at most 200 a call), in the order given.")
    async def add_product_reviews(
        self, info: Info, product_id: strawberry.ID, reviews: list[ProductReviewInput]
    ) -> AddProductReviewsPayload:
        await info.context.require(MANAGE)
        pid = int_id("Product", product_id)
        data = {"reviews": [{k: v for k, v in vars(r).items() if v is not None} for r in reviews]}
        rows = await info.context.write(lambda uow, p: ProductReviewService(uow.session).add(p, pid, data))
        return AddProductReviewsPayload(reviews=[ProductReview.from_model(r) for r in rows])
