"""The storefront posts' rules, for the REST surface and the GraphQL twin alike. Services never commit: the
caller owns the transaction.

``submit`` checks everything before it writes: the permission, that the workspace in the path is the caller's
and the product is in it (404 otherwise: never a hint that another workspace's ids exist), and that a request
for images or image analysis has a product image to work from; then it creates the ``marketing.posts`` job in
the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.catalog.repository import CatalogRepository
from domain.db import UnitOfWork
from domain.errors import InvalidInput, NotFound
from domain.jobs.models import Job
from domain.jobs.service import JobService
from domain.marketing.job import MARKETING_POSTS
from domain.marketing.models import MarketingPost
from domain.marketing.repository import MarketingRepository
from domain.marketing.requests import PostJobParams, PostRequest
from domain.media.models import MediaFile
from domain.media.ports import MediaPorts
from domain.media.service import MediaService
from domain.paging import Page, PageRequest

MANAGE = "store.products.manage"
READ = "store.products.read"


@dataclass(frozen=True)
class PostView:
    post: MarketingPost
    storefront_post_id: str | None
    image: MediaFile | None


class MarketingService:
    def __init__(self, uow_or_session: UnitOfWork | AsyncSession, media: MediaPorts | None = None) -> None:
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            self.session = uow_or_session.session
        else:
            self.uow = None
            self.session = uow_or_session
        self.media = media

    @staticmethod
    def check_workspace(principal: Principal, workspace_id: str | None) -> None:
        if workspace_id is not None and workspace_id != principal.workspace_id:
            raise NotFound("Workspace not found.")

    async def submit(
        self, principal: Principal, product_id: int, command: PostRequest, *, workspace_id: str | None = None
    ) -> Job:
        """The queued ``marketing.posts`` job for the product."""
        if self.uow is None:
            raise RuntimeError("MarketingService.submit needs a UnitOfWork")
        principal.require(MANAGE)
        self.check_workspace(principal, workspace_id)
        product = await CatalogRepository(self.session).get_product(principal.workspace_id, product_id)
        if product is None:
            raise NotFound(f"Product {product_id} not found.")
        options = command.options()
        if options.generate_images or options.use_product_images:
            field = "generateImages" if options.generate_images else "useProductImages"
            if self.media is None:
                raise InvalidInput.field(field, "Images need media storage, and this server has none configured.")
            images = await MediaService(self.session, self.media.storage).product_images(
                principal.workspace_id, [product.id]
            )
            if not images.get(product.id) and not product.main_image_url:
                raise InvalidInput.field(
                    field, f"Product {product_id} has no image: add one before asking for images.", rule="required"
                )
        params = PostJobParams(product_id=product.id, **options.model_dump())
        return await JobService(self.uow).create(principal, kind=MARKETING_POSTS, params=params)

    async def posts(self, principal: Principal, product_id: int | None, page: PageRequest) -> Page[PostView]:
        """The workspace's posts (of one product, when given), newest first, with their image files."""
        principal.require(READ)
        if product_id is not None:
            product = await CatalogRepository(self.session).get_product(principal.workspace_id, product_id)
            if product is None:
                raise NotFound(f"Product {product_id} not found.")
        repository = MarketingRepository(self.session)
        rows, total = await repository.posts(principal.workspace_id, product_id, page.offset, page.limit)
        media = await repository.media(principal.workspace_id, [p.image_media_id for p, _ in rows if p.image_media_id])
        items = [PostView(p, entry, media.get(p.image_media_id) if p.image_media_id else None) for p, entry in rows]
        return Page(items, total, page.offset, page.limit)
