"""SQL of the merchant area: connections, offers by merchant id, the catalog rows an import writes, offer states."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select

from domain.base import utcnow
from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory
from domain.merchants.models import MerchantConnection, MerchantOfferState
from domain.repository import WorkspaceRepository


class MerchantRepository(WorkspaceRepository):
    # --- connections ------------------------------------------------------------------------------

    async def connections(self, workspace_id: str) -> list[MerchantConnection]:
        stmt = (
            select(MerchantConnection)
            .where(MerchantConnection.workspace_id == workspace_id)
            .order_by(MerchantConnection.merchant)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def connection(self, workspace_id: str, merchant: str) -> MerchantConnection | None:
        stmt = select(MerchantConnection).where(
            MerchantConnection.workspace_id == workspace_id, MerchantConnection.merchant == merchant
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save_connection(self, connection: MerchantConnection) -> None:
        self.session.add(connection)
        await self.session.flush()

    async def delete_connection(self, workspace_id: str, merchant: str) -> int:
        result = await self.session.execute(
            delete(MerchantConnection).where(
                MerchantConnection.workspace_id == workspace_id, MerchantConnection.merchant == merchant
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    # --- offers -----------------------------------------------------------------------------------

    async def existing_offers(
        self, workspace_id: str, merchant: str, keys: Iterable[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], int | None]:
        """For each (merchant offer id, locale) already offered: the product its offer is linked to (the lowest
        id; ``None`` for an offer linked to none). Ids compare without case; a ``None`` locale matches any."""
        wanted = {(k.upper(), loc) for k, loc in keys}
        if not wanted:
            return {}
        ids = sorted({k for k, _ in wanted})
        stmt = (
            select(func.upper(Offer.merchant_offer_id), Offer.locale, func.min(OfferProduct.product_id))
            .outerjoin(OfferProduct, OfferProduct.offer_id == Offer.id)
            .where(
                Offer.workspace_id == workspace_id,
                Offer.merchant == merchant,
                func.upper(Offer.merchant_offer_id).in_(ids),
            )
            .group_by(func.upper(Offer.merchant_offer_id), Offer.locale)
        )
        found: dict[tuple[str, str | None], int | None] = {}
        for offer_id, locale, product_id in (await self.session.execute(stmt)).all():
            for key in ((offer_id, locale), (offer_id, None)):
                if key in wanted and found.get(key) is None:
                    found[key] = product_id
        return found

    async def offers_of(self, workspace_id: str, merchant: str) -> list[Offer]:
        stmt = select(Offer).where(Offer.workspace_id == workspace_id, Offer.merchant == merchant).order_by(Offer.id)
        return list((await self.session.execute(stmt)).scalars())

    async def merchants_with_offers(self, workspace_id: str) -> list[str]:
        stmt = select(Offer.merchant).where(Offer.workspace_id == workspace_id).distinct()
        return sorted((await self.session.execute(stmt)).scalars())

    async def mark(self, workspace_id: str, offer_ids: Sequence[int], *, listed: bool) -> None:
        """Record the merchant's answer for these offers (insert or update, one row per offer)."""
        if not offer_ids:
            return
        now = utcnow()
        stmt = select(MerchantOfferState).where(
            MerchantOfferState.workspace_id == workspace_id, self.one_of(MerchantOfferState.offer_id, offer_ids)
        )
        existing = {s.offer_id: s for s in (await self.session.execute(stmt)).scalars()}
        for offer_id in offer_ids:
            state = existing.get(offer_id)
            if state is None:
                self.session.add(
                    MerchantOfferState(offer_id=offer_id, workspace_id=workspace_id, listed=listed, checked_at=now)
                )
            else:
                state.listed, state.checked_at = listed, now
        await self.session.flush()

    async def unlisted_offer_ids(self, workspace_id: str) -> list[int]:
        stmt = (
            select(MerchantOfferState.offer_id)
            .where(MerchantOfferState.workspace_id == workspace_id, MerchantOfferState.listed.is_(False))
            .order_by(MerchantOfferState.offer_id)
        )
        return list((await self.session.execute(stmt)).scalars())

    # --- catalog rows an import writes --------------------------------------------------------------

    async def categories(self, workspace_id: str, ids: Sequence[int] | None) -> list[Category]:
        """The categories among ``ids`` (every one of the workspace when ``None``), by sort order."""
        stmt = select(Category).where(Category.workspace_id == workspace_id)
        if ids is not None:
            stmt = stmt.where(self.one_of(Category.id, ids))
        stmt = stmt.order_by(Category.sort_order, Category.id)
        return list((await self.session.execute(stmt)).scalars())

    async def brand_named(self, workspace_id: str, title: str) -> Brand | None:
        stmt = (
            select(Brand)
            .where(Brand.workspace_id == workspace_id, func.lower(Brand.title) == title.lower())
            .order_by(Brand.id)
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def link(self, workspace_id: str, product: Product, offer: Offer, category_ids: Sequence[int]) -> None:
        self.session.add(OfferProduct(offer_id=offer.id, product_id=product.id, workspace_id=workspace_id))
        for position, category_id in enumerate(category_ids):
            self.session.add(
                ProductCategory(
                    product_id=product.id, category_id=category_id, workspace_id=workspace_id, position=position
                )
            )
        await self.session.flush()
