"""The listing studio's rules, for the REST surface and the GraphQL twin alike: who may use it (a plan that is
not ``free``, and the permission), what a request costs, and what it creates. Services never commit; the caller
owns the transaction.

Paid requests are checked completely first (the product is the workspace's, it has a source image, the image
model asked for is configured), then priced, then the job is created with its credits debited in the same
transaction (``JobService.create(..., credits=cost)``): a short balance is a 402 and nothing is written.

Network I/O never runs inside a write: a product's image is fetched (``fetch_image``) and an export is zipped
(``export_zip``) before the transaction that stores them opens (on SQLite a write holds the database's lock).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.credits import CreditBalance, CreditsService
from domain.accounts.principal import Principal
from domain.ai.ports import ProviderSet
from domain.catalog.models import Product
from domain.catalog.repository import CatalogRepository
from domain.db import UnitOfWork
from domain.errors import DomainError, InvalidInput, NotFound
from domain.jobs.models import Job
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService, parse_job_id
from domain.listing.assets import AssetPage, AssetView, ListingAssets
from domain.listing.export import ExportFile, ListingExport
from domain.listing.jobs import LISTING_COPY, LISTING_IMAGE, CopyJobParams, ImageJobParams, check_ai_model
from domain.listing.models import ListingAsset
from domain.listing.pricing import copy_cost, image_cost, image_size
from domain.listing.products import ListingProduct, ListingProducts, ProductPage
from domain.listing.repository import AssetFilter, ListingReads
from domain.listing.requests import CopyRequest, CreateProduct, ImageRequest, product_ref
from domain.media.models import MediaFile
from domain.media.ports import FetchedImage, MediaPorts
from domain.media.urls import SignedUrl

READ = "marketing.listing.read"
MANAGE = "marketing.listing.manage"
PRODUCTS_READ = "store.products.read"
PRODUCTS_MANAGE = "store.products.manage"
FREE_PLAN = "free"

# The document's job types, by job kind.
JOB_TYPES = {LISTING_IMAGE.name: "image_generation", LISTING_COPY.name: "listing_copy"}


class PlanRequired(DomainError, status=403, code="plan_required"):
    """The workspace's plan does not include the feature."""


class ListingService:
    def __init__(
        self, uow_or_session: UnitOfWork | AsyncSession, *, media: MediaPorts, plans: Mapping[str, int] | None = None
    ) -> None:
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            self.session = uow_or_session.session
        else:
            self.uow = None
            self.session = uow_or_session
        self.media = media
        self.plans = plans
        self.reads = ListingReads(self.session)

    # --- access -------------------------------------------------------------------------------------

    async def check_access(self, principal: Principal, permission: str = READ) -> None:
        """The caller holds ``permission`` and the workspace's plan includes the listing studio."""
        principal.require(permission)
        plan = await self.reads.plan(principal.workspace_id)
        if plan is None:
            raise NotFound("Workspace not found.")
        if plan == FREE_PLAN:
            raise PlanRequired(
                "The listing studio is a Pro plan feature; this workspace is on the free plan. "
                "Upgrade the plan to use it."
            )

    def sign(self, media: MediaFile, *, filename: str | None = None) -> SignedUrl:
        return self.media.urls.sign(media, filename=filename)

    # --- products -----------------------------------------------------------------------------------

    async def products(self, principal: Principal, page: int, limit: int) -> ProductPage:
        await self.check_access(principal, PRODUCTS_READ)
        return await self._products().page(principal, page, limit)

    async def product(self, principal: Principal, product_id: int) -> ListingProduct:
        await self.check_access(principal, PRODUCTS_READ)
        return await self._products().get(principal, product_id)

    @staticmethod
    async def fetch_image(media: MediaPorts, command: CreateProduct) -> FetchedImage | None:
        """The image ``imageUrl`` names, downloaded under the fetcher's guard. No database work: call it after
        ``check_access`` and before the write that creates the product."""
        if command.image_url is None:
            return None
        return await media.fetcher.fetch(command.image_url, field="imageUrl")

    async def create_product(
        self, principal: Principal, command: CreateProduct, image: FetchedImage | None = None
    ) -> ListingProduct:
        """A catalog product with its image; ``image`` is what ``fetch_image`` got (fetched here when left out)."""
        await self.check_access(principal, PRODUCTS_MANAGE)
        if image is None:
            image = await self.fetch_image(self.media, command)
        return await self._products().create(principal, command, image)

    # --- paid requests ------------------------------------------------------------------------------

    async def submit_image(
        self, principal: Principal, command: ImageRequest, providers: ProviderSet
    ) -> tuple[Job, int]:
        """A queued image job and its cost in credits."""
        uow = self._require_uow()
        await self.check_access(principal, MANAGE)
        assert command.product_id is not None and command.style is not None  # required by the command
        product = await self._product_row(principal, command.product_id)
        if command.primary_image_url is None and not await self._products().images(principal.workspace_id, product.id):
            raise InvalidInput.field(
                "primaryImageUrl",
                f"Product {product_ref(product.id)} has no image: send primaryImageUrl, or add an image to the "
                "product first.",
                rule="required",
            )
        check_ai_model(providers, command.ai_model)  # the job resolves "auto" when it runs
        cost = image_cost(command.style, command.platform, command.requested_size)
        params = ImageJobParams(
            product_id=product.id,
            style=command.style,
            platform=command.platform,
            size=image_size(command.platform, command.requested_size),
            primary_image_url=command.primary_image_url,
            custom_prompt=command.custom_prompt,
            context=command.context,
            season=command.season,
            ai_model=command.ai_model,
            credit_cost=cost,
        )
        job = await JobService(uow, plans=self.plans).create(principal, kind=LISTING_IMAGE, params=params, credits=cost)
        return job, cost

    async def submit_copy(self, principal: Principal, command: CopyRequest) -> tuple[Job, int]:
        """A queued listing-copy job and its cost in credits."""
        uow = self._require_uow()
        await self.check_access(principal, MANAGE)
        assert command.product_id is not None
        product = await self._product_row(principal, command.product_id)
        cost = copy_cost(command.platform)
        params = CopyJobParams(
            product_id=product.id,
            platform=command.platform,
            components=command.components,
            seed_keywords=command.seed_keywords,
            tone=command.tone,
            target_audience=command.target_audience,
            credit_cost=cost,
        )
        job = await JobService(uow, plans=self.plans).create(principal, kind=LISTING_COPY, params=params, credits=cost)
        return job, cost

    async def job(self, principal: Principal, job_id: str) -> Job:
        """A listing job of the workspace (other kinds of job are not this surface's: 404)."""
        await self.check_access(principal, READ)
        job = await JobsRepository(self.session).get(parse_job_id(job_id), workspace_id=principal.workspace_id)
        if job is None or job.kind not in JOB_TYPES:
            raise NotFound("Job not found.")
        return job

    async def job_images(self, principal: Principal, job: Job) -> list[MediaFile]:
        """The files an image job made, in the result's order (none until it completes)."""
        ids = [str(i) for i in ((job.result or {}).get("mediaIds") or [])]
        found = await self.reads.media(principal.workspace_id, ids)
        return [found[i] for i in ids if i in found]

    # --- assets and export --------------------------------------------------------------------------

    async def assets(self, principal: Principal, filters: AssetFilter, page: int, limit: int) -> AssetPage:
        await self.check_access(principal, READ)
        return await ListingAssets(self.session).page(principal, filters, page, limit)

    async def review_asset(self, principal: Principal, asset_id: str, approve: bool) -> ListingAsset:
        self._require_uow()
        await self.check_access(principal, MANAGE)
        return await ListingAssets(self.session).review(principal, asset_id, approve)

    async def asset_view(self, principal: Principal, asset: ListingAsset) -> AssetView:
        return await ListingAssets(self.session).view(principal, asset)

    async def export_zip(self, principal: Principal, product_id: int) -> bytes:
        """The ZIP of the product's approved images (a read: call it before the write that stores it)."""
        await self.check_access(principal, READ)
        product = await self._product_row(principal, product_id)
        return await ListingExport(self.session, self.media).zip(principal.workspace_id, product.id)

    async def store_export(self, principal: Principal, product_id: int, data: bytes) -> ExportFile:
        self._require_uow()
        await self.check_access(principal, READ)
        return await ListingExport(self.session, self.media).store(principal.workspace_id, product_id, data)

    async def export(self, principal: Principal, product_id: int) -> ExportFile:
        return await self.store_export(principal, product_id, await self.export_zip(principal, product_id))

    # --- credits ------------------------------------------------------------------------------------

    async def credits(self, principal: Principal) -> CreditBalance:
        await self.check_access(principal, READ)
        return await CreditsService(self.uow or self.session, self.plans).balance(principal.workspace_id)

    # --- internals ----------------------------------------------------------------------------------

    def _require_uow(self) -> UnitOfWork:
        if self.uow is None:
            raise RuntimeError("ListingService writes need a UnitOfWork")
        return self.uow

    def _products(self) -> ListingProducts:
        return ListingProducts(self.session, self.media.storage)

    async def _product_row(self, principal: Principal, product_id: int) -> Product:
        product = await CatalogRepository(self.session).get_product(principal.workspace_id, product_id)
        if product is None:
            raise NotFound(f"Product {product_ref(product_id)} not found.")
        return product
