"""The listing studio's view of the catalog: the workspace's catalog products (the same rows the store API and
content generation use, never a second copy), each with its images and a category.

A product's ``category`` is what was given when it was created here (the ``listing_category`` attribute), else
the title of its first catalog category: one honest answer without inventing categories the store never had.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.catalog.commands import ProductCommand, ProductFilter
from domain.catalog.models import Category, Product
from domain.catalog.service import ProductService
from domain.listing.requests import CreateProduct
from domain.media.models import MediaFile
from domain.media.ports import FetchedImage, MediaStorage
from domain.media.service import MediaService
from domain.paging import PageRequest

CATEGORY_ATTRIBUTE = "listing_category"


@dataclass(frozen=True)
class ListingProduct:
    product: Product
    category: str | None
    images: list[MediaFile]


@dataclass(frozen=True)
class ProductPage:
    items: list[ListingProduct]
    total: int
    page: int
    limit: int


def category_of(product: Product, categories: list[Category]) -> str | None:
    given = (product.attributes or {}).get(CATEGORY_ATTRIBUTE)
    if isinstance(given, str) and given.strip():
        return given
    return categories[0].title if categories else None


class ListingProducts:
    def __init__(self, session: AsyncSession, storage: MediaStorage) -> None:
        self.catalog = ProductService(session)
        self.media = MediaService(session, storage)

    async def page(self, principal: Principal, page: int, limit: int) -> ProductPage:
        """Newest first; three queries whatever the page size (products, categories, images)."""
        found = await self.catalog.page(principal, ProductFilter(), PageRequest.numbered(page, limit))
        return ProductPage(await self._views(principal, found.items), found.total, page, limit)

    async def get(self, principal: Principal, product_id: int) -> ListingProduct:
        product = await self.catalog.get(principal, product_id)  # NotFound for another workspace's product
        return (await self._views(principal, [product]))[0]

    async def create(self, principal: Principal, command: CreateProduct, image: FetchedImage | None) -> ListingProduct:
        """A catalog product from the command, with the already fetched image stored and attached."""
        fields: dict[str, object] = {"title": command.title}
        if command.description is not None:
            fields["content"] = command.description
        if command.category is not None and command.category.strip():
            fields["attributes"] = {CATEGORY_ATTRIBUTE: command.category.strip()}
        product = await self.catalog.create(principal, ProductCommand.model_validate(fields))
        images: list[MediaFile] = []
        if image is not None:
            media = await self.media.store_image(principal.workspace_id, image.data, field="imageUrl")
            await self.media.add_product_image(principal.workspace_id, product.id, media, source_url=image.url)
            images.append(media)
        return ListingProduct(product, category_of(product, []), images)

    async def images(self, workspace_id: str, product_id: int) -> list[MediaFile]:
        found = await self.media.product_images(workspace_id, [product_id])
        return [media for _, media in found.get(product_id, [])]

    async def _views(self, principal: Principal, products: list[Product]) -> list[ListingProduct]:
        ws = principal.workspace_id
        ids = [p.id for p in products]
        categories = await self.catalog.repo.categories_for_products(ws, ids) if ids else {}
        images = await self.media.product_images(ws, ids) if ids else {}
        return [
            ListingProduct(
                product,
                category_of(product, categories.get(product.id, [])),
                [media for _, media in images.get(product.id, [])],
            )
            for product in products
        ]
