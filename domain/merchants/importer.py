"""Writing a merchant item into the catalog: a product (its brand found or created by name), the item's offer
linked to it, the categories asked for, and the merchant's word that it is listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalog.models import Brand, Offer, Product
from domain.catalog.naming import NamedWrites
from domain.catalog.repository import CatalogRepository
from domain.merchants.ports import MerchantItem
from domain.merchants.repository import MerchantRepository

TITLE_MAX = 255


@dataclass(frozen=True)
class Imported:
    product_id: int
    offer_id: int


class CatalogImporter:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = MerchantRepository(session)
        catalog = CatalogRepository(session)
        self.products = NamedWrites(catalog, fallback="product")
        self.brands = NamedWrites(catalog, fallback="brand")

    async def existing(self, workspace_id: str, item: MerchantItem) -> int | bool | None:
        """The product already offering this item (``True`` when its offer has no product), else ``False``."""
        found = await self.repo.existing_offers(workspace_id, item.merchant, [(item.item_id, item.locale)])
        if not found:
            return False
        product_id = next(iter(found.values()))
        return True if product_id is None else product_id

    async def write(self, workspace_id: str, item: MerchantItem, category_ids: Sequence[int]) -> Imported:
        title = item.title.strip()[:TITLE_MAX] or item.item_id
        brand_id = await self._brand(workspace_id, item.brand)
        product = Product(
            workspace_id=workspace_id,
            title=title,
            brand_id=brand_id,
            main_image_url=item.images[0] if item.images else None,
            highlights=list(item.features),
            external_product_code=item.item_id,
            market=item.locale,
        )
        await self.products.insert(product, None)
        offer = Offer(
            workspace_id=workspace_id,
            merchant=item.merchant,
            merchant_offer_id=item.item_id,
            title=title,
            features=list(item.features),
            currency=item.currency,
            price=item.price,
            price_full=item.price_full,
            min_price=item.price,
            max_price=item.price,
            condition="new",
            stock_available=item.in_stock,
            enabled=True,
            locale=item.locale,
            images=list(item.images),
            url_detail=item.url,
        )
        await self.repo.insert(offer)
        await self.repo.link(workspace_id, product, offer, category_ids)
        await self.repo.mark(workspace_id, [offer.id], listed=True)
        return Imported(product.id, offer.id)

    async def _brand(self, workspace_id: str, name: str | None) -> int | None:
        name = (name or "").strip()[:TITLE_MAX]
        if not name:
            return None
        brand = await self.repo.brand_named(workspace_id, name)
        if brand is None:
            brand = Brand(workspace_id=workspace_id, title=name)
            await self.brands.insert(brand, None)
        return brand.id
