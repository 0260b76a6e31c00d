"""All SQL of the store area: settings, articles, article categories, pages, the store's users (workspace
members), and the catalog counts and clean-up the store endpoints report on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, delete, exists, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from domain.accounts.models import Membership, User
from domain.base import utcnow
from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory
from domain.store.models import Article, ArticleCategory, ArticleCategoryLink, Page, StoreSetting

M = TypeVar("M", Article, ArticleCategory, Page)


@dataclass(frozen=True)
class ListQuery:
    """Filters already validated by the service, and the sort column (from its allow-list)."""

    page: int = 1
    per_page: int = 15
    offset: int | None = None
    sort_by: str = "created_at"
    sort_dir: str = "desc"
    search: str | None = None
    enabled: bool | None = None
    generated: bool | None = None
    article_category_id: int | None = None
    key: str | None = None
    parent_id: int | None = None
    roots_only: bool = False


class StoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def delete(self, obj: object) -> None:
        await self.session.delete(obj)
        await self.session.flush()

    async def ping(self) -> bool:
        await self.session.execute(text("SELECT 1"))
        return True

    # --- settings -------------------------------------------------------------------------------

    async def settings(self, workspace_id: str) -> dict[str, Any]:
        rows = await self.session.execute(
            select(StoreSetting.key, StoreSetting.value).where(StoreSetting.workspace_id == workspace_id)
        )
        return {key: value for key, value in rows.all()}

    async def save_settings(self, workspace_id: str, values: dict[str, Any]) -> None:
        existing = {
            s.key: s
            for s in (
                await self.session.execute(
                    select(StoreSetting).where(
                        StoreSetting.workspace_id == workspace_id, StoreSetting.key.in_(list(values))
                    )
                )
            ).scalars()
        }
        for key, value in values.items():
            row = existing.get(key)
            if value is None:
                if row is not None:
                    await self.session.delete(row)
            elif row is None:
                self.session.add(StoreSetting(workspace_id=workspace_id, key=key, value=value))
            else:
                row.value = value
                row.updated_at = utcnow()
        await self.session.flush()

    # --- content (articles, article categories, pages) ------------------------------------------

    async def get(self, model: type[M], workspace_id: str, obj_id: int) -> M | None:
        stmt = select(model).where(model.workspace_id == workspace_id, model.id == obj_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def existing_ids(self, model: type[M], workspace_id: str, ids: Sequence[int]) -> set[int]:
        if not ids:
            return set()
        stmt = select(model.id).where(model.workspace_id == workspace_id, model.id.in_(list(ids)))
        return set((await self.session.execute(stmt)).scalars())

    async def slugs_like(
        self, model: type[M], workspace_id: str, base: str, *, exclude_id: int | None = None
    ) -> set[str]:
        stmt = select(model.slug).where(model.workspace_id == workspace_id, model.slug.like(f"{base}%"))
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)
        return set((await self.session.execute(stmt)).scalars())

    async def page_by_key(self, workspace_id: str, key: str) -> Page | None:
        stmt = select(Page).where(Page.workspace_id == workspace_id, Page.key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_page(self, model: type[M], workspace_id: str, query: ListQuery) -> tuple[list[M], int]:
        stmt: Select[Any] = select(model).where(model.workspace_id == workspace_id)
        if query.search:
            stmt = stmt.where(func.lower(model.title).contains(query.search.lower(), autoescape=True))
        if query.enabled is not None:
            stmt = stmt.where(model.enabled.is_(query.enabled))
        if model is Article:
            if query.generated is not None:
                stmt = stmt.where(Article.generated.is_(query.generated))
            if query.article_category_id is not None:
                stmt = stmt.where(
                    exists().where(
                        ArticleCategoryLink.article_id == Article.id,
                        ArticleCategoryLink.article_category_id == query.article_category_id,
                    )
                )
        if model is Page and query.key is not None:
            stmt = stmt.where(Page.key == query.key)
        if model is ArticleCategory:
            if query.roots_only:
                stmt = stmt.where(ArticleCategory.parent_id.is_(None))
            elif query.parent_id is not None:
                stmt = stmt.where(ArticleCategory.parent_id == query.parent_id)
        total = (await self.session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
        column: InstrumentedAttribute[Any] = getattr(model, query.sort_by)
        order = column.asc() if query.sort_dir == "asc" else column.desc()
        tiebreak = model.id.asc() if query.sort_dir == "asc" else model.id.desc()
        stmt = (
            stmt.order_by(order, tiebreak)
            .limit(query.per_page)
            .offset(query.offset if query.offset is not None else (query.page - 1) * query.per_page)
        )
        rows = list((await self.session.execute(stmt)).scalars())
        return rows, int(total)

    async def set_article_categories(self, workspace_id: str, article_id: int, category_ids: Sequence[int]) -> None:
        await self.session.execute(delete(ArticleCategoryLink).where(ArticleCategoryLink.article_id == article_id))
        for category_id in category_ids:
            self.session.add(
                ArticleCategoryLink(workspace_id=workspace_id, article_id=article_id, article_category_id=category_id)
            )
        await self.session.flush()

    async def categories_of_articles(
        self, workspace_id: str, article_ids: Sequence[int]
    ) -> dict[int, list[ArticleCategory]]:
        """Each article's categories, in one query."""
        out: dict[int, list[ArticleCategory]] = {i: [] for i in article_ids}
        if not article_ids:
            return out
        stmt = (
            select(ArticleCategoryLink.article_id, ArticleCategory)
            .join(ArticleCategory, ArticleCategory.id == ArticleCategoryLink.article_category_id)
            .where(
                ArticleCategoryLink.workspace_id == workspace_id, ArticleCategoryLink.article_id.in_(list(article_ids))
            )
            .order_by(ArticleCategory.sort_order, ArticleCategory.id)
        )
        for article_id, category in (await self.session.execute(stmt)).all():
            out[article_id].append(category)
        return out

    async def articles_counts(self, workspace_id: str, category_ids: Sequence[int]) -> dict[int, int]:
        out = dict.fromkeys(category_ids, 0)
        if not category_ids:
            return out
        stmt = (
            select(ArticleCategoryLink.article_category_id, func.count())
            .where(
                ArticleCategoryLink.workspace_id == workspace_id,
                ArticleCategoryLink.article_category_id.in_(list(category_ids)),
            )
            .group_by(ArticleCategoryLink.article_category_id)
        )
        for category_id, count in (await self.session.execute(stmt)).all():
            out[category_id] = int(count)
        return out

    async def article_category_parents(self, workspace_id: str) -> dict[int, int | None]:
        stmt = select(ArticleCategory.id, ArticleCategory.parent_id).where(ArticleCategory.workspace_id == workspace_id)
        return {i: p for i, p in (await self.session.execute(stmt)).all()}

    async def by_ids(self, model: type[M], workspace_id: str, ids: Sequence[int]) -> dict[int, M]:
        if not ids:
            return {}
        stmt = select(model).where(model.workspace_id == workspace_id, model.id.in_(list(ids)))
        return {o.id: o for o in (await self.session.execute(stmt)).scalars()}

    # --- the store's users (workspace members) --------------------------------------------------

    async def members(self, workspace_id: str, page: int, per_page: int) -> tuple[list[tuple[User, Membership]], int]:
        where = (Membership.workspace_id == workspace_id, Membership.deleted_at.is_(None))
        total = (await self.session.execute(select(func.count()).select_from(Membership).where(*where))).scalar_one()
        stmt = (
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(*where)
            .order_by(User.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        rows = [(u, m) for u, m in (await self.session.execute(stmt)).all()]
        return rows, int(total)

    async def member(self, workspace_id: str, user_id: int) -> tuple[User, Membership] | None:
        """A member of the workspace, including one whose membership was deleted."""
        stmt = (
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace_id, User.id == user_id)
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def user_by_email(self, email: str) -> User | None:
        return (await self.session.execute(select(User).where(User.email == email))).scalar_one_or_none()

    async def other_memberships(self, workspace_id: str, user_id: int) -> int:
        stmt = (
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.user_id == user_id, Membership.workspace_id != workspace_id, Membership.deleted_at.is_(None)
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())

    # --- catalog counts and the store cleaner ---------------------------------------------------

    async def count(self, model: type[Any], workspace_id: str, *conditions: Any) -> int:
        stmt = select(func.count()).select_from(model).where(model.workspace_id == workspace_id, *conditions)
        return int((await self.session.execute(stmt)).scalar_one())

    async def stats(self, workspace_id: str) -> dict[str, int]:
        return {
            "brands": await self.count(Brand, workspace_id),
            "articles": await self.count(Article, workspace_id),
            "products": await self.count(Product, workspace_id, Product.deleted_at.is_(None)),
            "categories": await self.count(Category, workspace_id),
            "offers": await self.count(Offer, workspace_id),
            "articles_generated": await self.count(Article, workspace_id, Article.generated.is_(True)),
        }

    async def delete_out_of_stock_offers(self, workspace_id: str) -> int:
        ids = list(
            (
                await self.session.execute(
                    select(Offer.id).where(Offer.workspace_id == workspace_id, Offer.stock_available.is_(False))
                )
            ).scalars()
        )
        return await self._delete_offers(ids)

    async def _delete_offers(self, ids: list[int]) -> int:
        if not ids:
            return 0
        await self.session.execute(delete(OfferProduct).where(OfferProduct.offer_id.in_(ids)))
        await self.session.execute(delete(Offer).where(Offer.id.in_(ids)))
        return len(ids)

    async def soft_delete_offerless_products(self, workspace_id: str) -> int:
        has_offer = exists().where(OfferProduct.product_id == Product.id)
        ids = list(
            (
                await self.session.execute(
                    select(Product.id).where(
                        Product.workspace_id == workspace_id, Product.deleted_at.is_(None), ~has_offer
                    )
                )
            ).scalars()
        )
        if ids:
            await self.session.execute(update(Product).where(Product.id.in_(ids)).values(deleted_at=utcnow()))
        return len(ids)

    async def delete_empty_brands(self, workspace_id: str) -> int:
        has_product = exists().where(Product.brand_id == Brand.id, Product.deleted_at.is_(None))
        ids = list(
            (
                await self.session.execute(select(Brand.id).where(Brand.workspace_id == workspace_id, ~has_product))
            ).scalars()
        )
        if ids:
            # Only soft-deleted products can still point at these brands; clear them as the FK would.
            await self.session.execute(update(Product).where(Product.brand_id.in_(ids)).values(brand_id=None))
            await self.session.execute(delete(Brand).where(Brand.id.in_(ids)))
        return len(ids)

    async def delete_empty_categories(self, workspace_id: str) -> int:
        """Categories with no (live) products and no children; repeated until none is left, so a branch of
        empty categories goes in one run."""
        child = Category.__table__.alias("child")
        live_product = (
            select(ProductCategory.product_id)
            .join(Product, Product.id == ProductCategory.product_id)
            .where(ProductCategory.category_id == Category.id, Product.deleted_at.is_(None))
            .exists()
        )
        total = 0
        while True:
            ids = list(
                (
                    await self.session.execute(
                        select(Category.id).where(
                            Category.workspace_id == workspace_id,
                            ~live_product,
                            ~exists().where(child.c.parent_id == Category.id),
                        )
                    )
                ).scalars()
            )
            if not ids:
                return total
            await self.session.execute(delete(ProductCategory).where(ProductCategory.category_id.in_(ids)))
            await self.session.execute(delete(Category).where(Category.id.in_(ids)))
            total += len(ids)

    async def has_catalog_category(self, workspace_id: str, category_id: int) -> bool:
        stmt = select(Category.id).where(Category.workspace_id == workspace_id, Category.id == category_id)
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None
