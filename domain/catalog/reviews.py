"""Customer reviews of catalog products: adding them, listing them, and reading the first ones of several
products at once (the review summariser's ``product_ids``; the GraphQL ``Product.productReviews`` loader).

Reviews are kept in the order they were added (``id``); "the first N" always means that order. Rules here,
SQL in ``ReviewRepository`` (``domain.catalog.repository``); services never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.catalog.models import REVIEW_TEXT_MAX, Product, ProductReview
from domain.catalog.repository import CatalogRepository, ReviewRepository
from domain.errors import InvalidInput, NotFound, Problems
from domain.paging import Page, PageRequest
from domain.validation import StrictCommand, parse_now

READ, MANAGE = "store.products.read", "store.products.manage"
MAX_REVIEWS_PER_CALL = 200

ReviewText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REVIEW_TEXT_MAX)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class ReviewCommand(StrictCommand):
    text: ReviewText
    rating: Annotated[float, Field(ge=0, le=5)] | None = None
    author: ShortText | None = None
    external_review_id: ShortText | None = None


class AddReviewsCommand(StrictCommand):
    reviews: Annotated[list[ReviewCommand], Field(min_length=1, max_length=MAX_REVIEWS_PER_CALL)]


class ProductReviewService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = ReviewRepository(session)
        self.catalog = CatalogRepository(session)

    async def _product(self, principal: Principal, product_id: int) -> Product:
        product = await self.catalog.get_product(principal.workspace_id, product_id)
        if product is None:
            raise NotFound("Product not found.")
        return product

    async def add(self, principal: Principal, product_id: int, data: Any) -> list[ProductReview]:
        """Adds reviews to a live product of the caller's workspace, in the order given. Every problem is reported
        at once and nothing is written: a text over 1000 characters, an ``external_review_id`` given twice or
        already stored for the product."""
        principal.require(MANAGE)
        product = await self._product(principal, product_id)
        problems = Problems()
        command: AddReviewsCommand | None = None
        try:
            command = parse_now(AddReviewsCommand, data)
        except InvalidInput as exc:
            problems.extend(exc.field_errors)
        raw = data.get("reviews") if isinstance(data, dict) else None
        given = [r.get("external_review_id") if isinstance(r, dict) else None for r in raw or []]
        given = [g.strip() if isinstance(g, str) and g.strip() else None for g in given]
        stored = await self.repo.external_ids(principal.workspace_id, product.id, [g for g in given if g])
        seen: set[str] = set()
        for i, ext in enumerate(given):
            if ext is None:
                continue
            if ext in seen or ext in stored:
                problems.add(("reviews", i, "external_review_id"), "unique", f"The review '{ext}' is already stored.")
            seen.add(ext)
        problems.raise_if_any()
        assert command is not None
        rows = [
            ProductReview(workspace_id=principal.workspace_id, product_id=product.id, **r.model_dump())
            for r in command.reviews
        ]
        await self.repo.add_all(rows)
        return rows

    async def get(self, principal: Principal, review_id: int) -> ProductReview:
        """One review of a live product of the caller's workspace."""
        principal.require(READ)
        row = await self.repo.get(ProductReview, principal.workspace_id, review_id)
        if row is None or await self.catalog.get_product(principal.workspace_id, row.product_id) is None:
            raise NotFound("Review not found.")
        return row

    async def page(self, principal: Principal, product_id: int, request: PageRequest) -> Page[ProductReview]:
        """The product's reviews in the order they were added."""
        principal.require(READ)
        product = await self._product(principal, product_id)
        ws = principal.workspace_id
        rows = await self.repo.first_reviews(ws, [product.id], request.limit, offset=request.offset)
        total = (await self.repo.counts(ws, [product.id])).get(product.id, 0)
        return Page.of(rows.get(product.id, []), total, request)

    async def live_products(self, workspace_id: str, product_ids: Sequence[int]) -> set[int]:
        """Which of ``product_ids`` are live products of the workspace."""
        return set(await self.catalog.get_products_by_ids(workspace_id, product_ids))

    async def count_of_products(self, workspace_id: str, product_ids: Sequence[int]) -> int:
        """How many reviews the products have, together."""
        return sum((await self.repo.counts(workspace_id, product_ids)).values())

    async def first_of_products(self, workspace_id: str, product_ids: Sequence[int], limit: int) -> list[ProductReview]:
        """The first ``limit`` reviews of the products taken in the order given (all of the first product's, then
        the next one's ...), each product's in the order they were added."""
        by_product = await self.repo.first_reviews(workspace_id, product_ids, limit)
        out: list[ProductReview] = []
        for pid in dict.fromkeys(product_ids):
            out.extend(by_product.get(pid, [])[: limit - len(out)])
            if len(out) >= limit:
                break
        return out
