"""All SQL for the catalog. Every query is scoped to one workspace; soft-deleted products are invisible."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    CursorResult,
    Integer,
    Row,
    Select,
    any_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from domain.base import utcnow
from domain.catalog.commands import BrandFilter, CategoryFilter, OfferFilter, ProductFilter
from domain.catalog.models import Brand, Category, Offer, OfferProduct, Product, ProductCategory, ProductReview
from domain.errors import Conflict
from domain.paging import Page, PageRequest, Sort
from domain.repository import WorkspaceRepository


def _live(workspace_id: str) -> list[ColumnElement[bool]]:
    return [Product.workspace_id == workspace_id, Product.deleted_at.is_(None)]


# Plain rows (``*_row*`` reads): every column of the table, named as the model's attributes are (the catalog
# models map each attribute to the column of the same name), so what renders a model renders its row.
_PRODUCT_COLUMNS = tuple(Product.__table__.c)
_BRAND_COLUMNS = tuple(Brand.__table__.c)
_CATEGORY_COLUMNS = tuple(Category.__table__.c)
_OFFER_COLUMNS = (*Offer.__table__.c, Offer.__table__.c.merchant_offer_id.label("merchant_product_id"))


# The statements of the plain-row reads (a page of products and its relations, for the REST page and GraphQL's
# loaders), built once per dialect and shape with their values as named binds: building one coerces its 15-35
# columns again and works out its cache key again (about 0.5 ms for a page's five statements), while a statement
# built once keeps its cache key (SQLAlchemy memoizes it on the object), so a request only binds its values. The
# SQL is the same as built per request. Keyed by the dialect, the read and its shape (which filters, what sort):
# at most 1,584 shapes of the product page (two statements each) and one of each other read, per dialect; in
# practice the few shapes clients ask for. On PostgreSQL each also holds its plain-row plan (``domain.plain_rows``).
_BUILT: dict[tuple[Any, ...], Any] = {}


def _built(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    stmt = _BUILT.get(key)
    if stmt is None:
        stmt = _BUILT[key] = build()
    return stmt


def _ids_bind(column: Any, name: str, postgresql: bool) -> ColumnElement[bool]:
    """``Repository.one_of`` with its values bound at execution (under ``name``, without duplicates)."""
    if postgresql:
        return cast(ColumnElement[bool], column == any_(bindparam(name, type_=ARRAY(column.type))))
    return cast(ColumnElement[bool], column.in_(bindparam(name, expanding=True)))


def _like_escaped(text: str) -> str:
    """``text`` escaped as ``autoescape=True`` escapes a literal (``/`` the escape character), for a bound value."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _by_product(rows: Sequence[Row[Any]]) -> dict[int, list[Row[Any]]]:
    """Rows whose first column is a product id, grouped by it (in order)."""
    out: dict[int, list[Row[Any]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    return out


class CatalogRepository(WorkspaceRepository):
    async def flush(self) -> None:
        """Flush; a unique or foreign-key clash with a concurrent request becomes a ``Conflict``."""
        try:
            await self.session.flush()
        except IntegrityError:
            raise Conflict("The change clashed with a concurrent one (e.g. the same slug); retry it.") from None

    # ---- products -------------------------------------------------------------------------------------

    async def get_products_by_ids(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Product]:
        """The workspace's live (not soft-deleted) products among ``ids``; unknown ids are simply absent."""
        if not ids:
            return {}
        stmt = select(Product).where(*_live(workspace_id), self.one_of(Product.id, ids))
        return {p.id: p for p in (await self.session.execute(stmt)).scalars()}

    async def get_product(self, workspace_id: str, product_id: int) -> Product | None:
        stmt = select(Product).where(*_live(workspace_id), Product.id == product_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def product_row(self, workspace_id: str, product_id: int) -> Row[Any] | None:
        """``get_product`` as a plain row (the product's columns by name), for reads that only render it."""

        def build() -> Select[Any]:
            return select(*_PRODUCT_COLUMNS).where(
                Product.workspace_id == bindparam("workspace_id"),
                Product.deleted_at.is_(None),
                Product.id == bindparam("product_id", type_=Integer),
            )

        stmt = _built(("product_row", self._dialect()), build)
        rows = await self._rows(stmt, {"workspace_id": workspace_id, "product_id": product_id})
        return rows[0] if rows else None

    def _product_query(self, workspace_id: str, f: ProductFilter) -> Select[Any]:
        stmt = select(Product).where(*_live(workspace_id))
        if f.search:
            stmt = stmt.where(Product.title.icontains(f.search, autoescape=True))
        if f.enabled is not None:
            stmt = stmt.where(Product.enabled.is_(f.enabled))
        if f.generated is not None:
            stmt = stmt.where(Product.generated.is_(f.generated))
        if f.brand_id is not None:
            stmt = stmt.where(Product.brand_id == f.brand_id)
        if f.category_id is not None:
            in_category = select(ProductCategory.product_id).where(
                ProductCategory.workspace_id == workspace_id, ProductCategory.category_id == f.category_id
            )
            stmt = stmt.where(Product.id.in_(in_category))
        return stmt

    async def product_page(
        self, workspace_id: str, f: ProductFilter, sort: Sort, request: PageRequest
    ) -> Page[Product]:
        return await self.page(self._product_query(workspace_id, f), Product, sort, request)

    async def product_row_page(
        self, workspace_id: str, f: ProductFilter, sort: Sort, request: PageRequest
    ) -> Page[Row[Any]]:
        """``product_page`` as plain rows (the product's columns by name), for reads that only render them: the
        same statements as ``_product_query``'s, built once per shape (``_BUILT``)."""
        search = bool(f.search)
        has_brand, has_category = f.brand_id is not None, f.category_id is not None
        shape = (f.enabled, f.generated, search, has_brand, has_category, sort.column, sort.descending)

        def build() -> tuple[Select[Any], Select[Any]]:
            stmt = select(*_PRODUCT_COLUMNS).where(
                Product.workspace_id == bindparam("workspace_id"), Product.deleted_at.is_(None)
            )
            if search:
                stmt = stmt.where(Product.title.icontains(bindparam("search"), escape="/"))
            if f.enabled is not None:
                stmt = stmt.where(Product.enabled.is_(f.enabled))
            if f.generated is not None:
                stmt = stmt.where(Product.generated.is_(f.generated))
            if has_brand:
                stmt = stmt.where(Product.brand_id == bindparam("brand_id"))
            if has_category:
                in_category = select(ProductCategory.product_id).where(
                    ProductCategory.workspace_id == bindparam("workspace_id"),
                    ProductCategory.category_id == bindparam("category_id"),
                )
                stmt = stmt.where(Product.id.in_(in_category))
            column = getattr(Product, sort.column)
            order = (column.desc(), Product.id.desc()) if sort.descending else (column.asc(), Product.id.asc())
            page = stmt.order_by(*order).offset(bindparam("offset", type_=Integer))
            page = page.limit(bindparam("limit", type_=Integer))
            return select(func.count()).select_from(stmt.subquery()), page

        count, page = _built(("product_rows", self._dialect(), *shape), build)
        params: dict[str, Any] = {"workspace_id": workspace_id}
        if search:
            params["search"] = _like_escaped(cast(str, f.search))
        if has_brand:
            params["brand_id"] = f.brand_id
        if has_category:
            params["category_id"] = f.category_id
        total = await self._rows(count, params)
        rows = await self._rows(page, {**params, "offset": request.offset, "limit": request.limit})
        return Page.of(rows, int(total[0][0]), request)

    def _dialect(self) -> str:
        bind = self.session.bind
        return bind.dialect.name if bind is not None else ""

    async def products_for_brands(self, workspace_id: str, brand_ids: Sequence[int]) -> dict[int, list[Product]]:
        stmt = (
            select(Product)
            .where(*_live(workspace_id), self.one_of(Product.brand_id, brand_ids))
            .order_by(Product.created_at.desc(), Product.id.desc())
        )
        out: dict[int, list[Product]] = {}
        for p in (await self.session.execute(stmt)).scalars():
            if p.brand_id is not None:
                out.setdefault(p.brand_id, []).append(p)
        return out

    async def products_for_categories(self, workspace_id: str, category_ids: Sequence[int]) -> dict[int, list[Product]]:
        stmt = (
            select(ProductCategory.category_id, Product)
            .join(Product, Product.id == ProductCategory.product_id)
            .where(*_live(workspace_id), self.one_of(ProductCategory.category_id, category_ids))
            .order_by(Product.created_at.desc(), Product.id.desc())
        )
        out: dict[int, list[Product]] = {}
        for category_id, product in await self.session.execute(stmt):
            out.setdefault(category_id, []).append(product)
        return out

    async def products_for_offers(self, workspace_id: str, offer_ids: Sequence[int]) -> dict[int, list[Product]]:
        stmt = (
            select(OfferProduct.offer_id, Product)
            .join(Product, Product.id == OfferProduct.product_id)
            .where(*_live(workspace_id), self.one_of(OfferProduct.offer_id, offer_ids))
            .order_by(Product.id)
        )
        out: dict[int, list[Product]] = {}
        for offer_id, product in await self.session.execute(stmt):
            out.setdefault(offer_id, []).append(product)
        return out

    async def taken_slugs(self, model: type[Product | Brand | Category], workspace_id: str, base: str) -> set[str]:
        """Slugs equal to ``base`` or ``base-<n>`` (soft-deleted products keep theirs reserved)."""
        stmt = select(model.slug).where(
            model.workspace_id == workspace_id,
            (model.slug == base) | model.slug.startswith(f"{base}-", autoescape=True),
        )
        return set((await self.session.execute(stmt)).scalars())

    async def slug_owner(self, model: type[Product | Brand | Category], workspace_id: str, slug: str) -> int | None:
        stmt = select(model.id).where(model.workspace_id == workspace_id, model.slug == slug)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    # ---- brands ---------------------------------------------------------------------------------------

    async def brand_page(self, workspace_id: str, f: BrandFilter, sort: Sort, request: PageRequest) -> Page[Brand]:
        stmt = select(Brand).where(Brand.workspace_id == workspace_id)
        if f.search:
            stmt = stmt.where(Brand.title.icontains(f.search, autoescape=True))
        if f.enabled is not None:
            stmt = stmt.where(Brand.enabled.is_(f.enabled))
        return await self.page(stmt, Brand, sort, request)

    async def brand_product_counts(self, workspace_id: str, brand_ids: Sequence[int]) -> dict[int, int]:
        if not brand_ids:
            return {}
        stmt = (
            select(Product.brand_id, func.count())
            .where(*_live(workspace_id), self.one_of(Product.brand_id, brand_ids))
            .group_by(Product.brand_id)
        )
        return {int(b): int(n) for b, n in (await self.session.execute(stmt)) if b is not None}

    async def delete_brands(self, workspace_id: str, ids: Sequence[int]) -> int:
        """Delete brands; their products (live or soft-deleted) keep going, without a brand."""
        if not ids:
            return 0
        await self.session.execute(
            update(Product)
            .where(Product.workspace_id == workspace_id, self.one_of(Product.brand_id, ids))
            .values(brand_id=None)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(delete(Brand).where(Brand.workspace_id == workspace_id, self.one_of(Brand.id, ids)))
        return len(set(ids))

    # ---- categories -----------------------------------------------------------------------------------

    async def category_page(
        self, workspace_id: str, f: CategoryFilter, sort: Sort, request: PageRequest
    ) -> Page[Category]:
        stmt = select(Category).where(Category.workspace_id == workspace_id)
        if f.search:
            stmt = stmt.where(Category.title.icontains(f.search, autoescape=True))
        if f.enabled is not None:
            stmt = stmt.where(Category.enabled.is_(f.enabled))
        if f.roots_only:
            stmt = stmt.where(Category.parent_id.is_(None))
        if f.parent_id is not None:
            stmt = stmt.where(Category.parent_id == f.parent_id)
        return await self.page(stmt, Category, sort, request)

    async def all_categories(self, workspace_id: str) -> list[Category]:
        stmt = (
            select(Category)
            .where(Category.workspace_id == workspace_id)
            .order_by(Category.sort_order, Category.title, Category.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def category_parents(self, workspace_id: str) -> dict[int, int | None]:
        stmt = select(Category.id, Category.parent_id).where(Category.workspace_id == workspace_id)
        return {i: p for i, p in (await self.session.execute(stmt))}

    async def children_of(self, workspace_id: str, parent_ids: Sequence[int]) -> dict[int, list[Category]]:
        stmt = (
            select(Category)
            .where(Category.workspace_id == workspace_id, self.one_of(Category.parent_id, parent_ids))
            .order_by(Category.sort_order, Category.title, Category.id)
        )
        out: dict[int, list[Category]] = {}
        for c in (await self.session.execute(stmt)).scalars():
            if c.parent_id is not None:
                out.setdefault(c.parent_id, []).append(c)
        return out

    async def category_product_counts(self, workspace_id: str, category_ids: Sequence[int] | None) -> dict[int, int]:
        """Live products per category (every category of the workspace when ``category_ids`` is None)."""
        stmt = (
            select(ProductCategory.category_id, func.count())
            .join(Product, Product.id == ProductCategory.product_id)
            .where(*_live(workspace_id))
            .group_by(ProductCategory.category_id)
        )
        if category_ids is not None:
            if not category_ids:
                return {}
            stmt = stmt.where(self.one_of(ProductCategory.category_id, category_ids))
        return {int(c): int(n) for c, n in (await self.session.execute(stmt))}

    async def category_children_counts(self, workspace_id: str, category_ids: Sequence[int]) -> dict[int, int]:
        if not category_ids:
            return {}
        stmt = (
            select(Category.parent_id, func.count())
            .where(Category.workspace_id == workspace_id, self.one_of(Category.parent_id, category_ids))
            .group_by(Category.parent_id)
        )
        return {int(p): int(n) for p, n in (await self.session.execute(stmt)) if p is not None}

    async def reparent_children(self, workspace_id: str, category_id: int, new_parent_id: int | None) -> None:
        await self.session.execute(
            update(Category)
            .where(Category.workspace_id == workspace_id, Category.parent_id == category_id)
            .values(parent_id=new_parent_id)
            .execution_options(synchronize_session=False)
        )

    async def delete_categories(self, workspace_id: str, ids: Sequence[int]) -> int:
        """Delete categories with their product links (children are the caller's business)."""
        if not ids:
            return 0
        await self.session.execute(
            delete(ProductCategory).where(
                ProductCategory.workspace_id == workspace_id, self.one_of(ProductCategory.category_id, ids)
            )
        )
        await self.session.execute(
            delete(Category).where(Category.workspace_id == workspace_id, self.one_of(Category.id, ids))
        )
        return len(set(ids))

    async def categories_for_products(self, workspace_id: str, product_ids: Sequence[int]) -> dict[int, list[Category]]:
        if not product_ids:
            return {}
        stmt = self._categories_of(workspace_id, product_ids, Category)
        out: dict[int, list[Category]] = {}
        for product_id, category in await self.session.execute(stmt):
            out.setdefault(product_id, []).append(category)
        return out

    async def category_rows_for_products(
        self, workspace_id: str, product_ids: Sequence[int]
    ) -> dict[int, list[Row[Any]]]:
        """``categories_for_products`` as plain rows (a category's columns by name)."""
        return await self._linked_rows(
            "category_rows",
            ProductCategory,
            _CATEGORY_COLUMNS,
            lambda: (Category, Category.id == ProductCategory.category_id, (ProductCategory.position, Category.id)),
            workspace_id,
            product_ids,
        )

    async def _linked_rows(
        self,
        name: str,
        link: Any,
        columns: Sequence[Any],
        joined: Callable[[], tuple[Any, Any, tuple[Any, ...]]],
        workspace_id: str,
        product_ids: Sequence[int],
    ) -> dict[int, list[Row[Any]]]:
        """The rows ``columns`` of what ``link`` (a table with ``workspace_id`` and ``product_id``) links to each
        product, grouped by product id: ``joined()`` gives the table joined, the join's condition and the order.
        One statement, built once per dialect (``name``), the ids bound as one array on PostgreSQL."""
        if not product_ids:
            return {}
        dialect = self._dialect()

        def build() -> Select[Any]:
            table, on, order = joined()
            return (
                select(link.product_id, *columns)
                .join(table, on)
                .where(
                    link.workspace_id == bindparam("workspace_id"),
                    _ids_bind(link.product_id, "ids", dialect == "postgresql"),
                )
                .order_by(*order)
            )

        stmt = _built((name, dialect), build)
        params = {"workspace_id": workspace_id, "ids": list(dict.fromkeys(product_ids))}
        return _by_product(await self._rows(stmt, params))

    def _categories_of(self, workspace_id: str, product_ids: Sequence[int], *columns: Any) -> Select[Any]:
        return (
            select(ProductCategory.product_id, *columns)
            .join(Category, Category.id == ProductCategory.category_id)
            .where(ProductCategory.workspace_id == workspace_id, self.one_of(ProductCategory.product_id, product_ids))
            .order_by(ProductCategory.position, Category.id)
        )

    async def set_product_categories(self, workspace_id: str, product_id: int, category_ids: Sequence[int]) -> None:
        await self.session.execute(
            delete(ProductCategory).where(
                ProductCategory.workspace_id == workspace_id, ProductCategory.product_id == product_id
            )
        )
        if category_ids:
            await self.session.execute(
                insert(ProductCategory),
                [
                    {"workspace_id": workspace_id, "product_id": product_id, "category_id": c, "position": i}
                    for i, c in enumerate(category_ids)
                ],
            )

    # ---- offers ---------------------------------------------------------------------------------------

    async def offer_page(self, workspace_id: str, f: OfferFilter, sort: Sort, request: PageRequest) -> Page[Offer]:
        stmt = select(Offer).where(Offer.workspace_id == workspace_id)
        if f.search:
            stmt = stmt.where(Offer.title.icontains(f.search, autoescape=True))
        if f.merchant:
            stmt = stmt.where(Offer.merchant == f.merchant)
        if f.enabled is not None:
            stmt = stmt.where(Offer.enabled.is_(f.enabled))
        if f.product_id is not None:
            linked = select(OfferProduct.offer_id).where(
                OfferProduct.workspace_id == workspace_id, OfferProduct.product_id == f.product_id
            )
            stmt = stmt.where(Offer.id.in_(linked))
        return await self.page(stmt, Offer, sort, request)

    async def offers_for_products(self, workspace_id: str, product_ids: Sequence[int]) -> dict[int, list[Offer]]:
        if not product_ids:
            return {}
        stmt = self._offers_of(workspace_id, product_ids, Offer)
        out: dict[int, list[Offer]] = {}
        for product_id, offer in await self.session.execute(stmt):
            out.setdefault(product_id, []).append(offer)
        return out

    async def offer_rows_for_products(self, workspace_id: str, product_ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
        """``offers_for_products`` as plain rows (an offer's columns by name, with ``merchant_product_id``)."""
        return await self._linked_rows(
            "offer_rows",
            OfferProduct,
            _OFFER_COLUMNS,
            lambda: (Offer, Offer.id == OfferProduct.offer_id, (Offer.id,)),
            workspace_id,
            product_ids,
        )

    def _offers_of(self, workspace_id: str, product_ids: Sequence[int], *columns: Any) -> Select[Any]:
        return (
            select(OfferProduct.product_id, *columns)
            .join(Offer, Offer.id == OfferProduct.offer_id)
            .where(OfferProduct.workspace_id == workspace_id, self.one_of(OfferProduct.product_id, product_ids))
            .order_by(Offer.id)
        )

    async def brand_rows(self, workspace_id: str, ids: Sequence[int]) -> dict[int, Row[Any]]:
        """``by_ids(Brand, ...)`` as plain rows (a brand's columns by name)."""
        if not ids:
            return {}
        dialect = self._dialect()

        def build() -> Select[Any]:
            return select(*_BRAND_COLUMNS).where(
                Brand.workspace_id == bindparam("workspace_id"), _ids_bind(Brand.id, "ids", dialect == "postgresql")
            )

        stmt = _built(("brand_rows", dialect), build)
        params = {"workspace_id": workspace_id, "ids": list(dict.fromkeys(ids))}
        return {row.id: row for row in await self._rows(stmt, params)}

    async def enabled_merchants(self, workspace_id: str) -> list[str]:
        stmt = (
            select(Offer.merchant)
            .where(Offer.workspace_id == workspace_id, Offer.enabled.is_(True))
            .distinct()
            .order_by(Offer.merchant)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def set_offer_products(self, workspace_id: str, offer_id: int, product_ids: Sequence[int]) -> None:
        await self.session.execute(
            delete(OfferProduct).where(OfferProduct.workspace_id == workspace_id, OfferProduct.offer_id == offer_id)
        )
        if product_ids:
            await self.session.execute(
                insert(OfferProduct),
                [{"workspace_id": workspace_id, "offer_id": offer_id, "product_id": p} for p in product_ids],
            )

    async def delete_offers(self, workspace_id: str, ids: Sequence[int]) -> int:
        """Delete offers with their product links."""
        if not ids:
            return 0
        await self.session.execute(
            delete(OfferProduct).where(
                OfferProduct.workspace_id == workspace_id, self.one_of(OfferProduct.offer_id, ids)
            )
        )
        await self.session.execute(delete(Offer).where(Offer.workspace_id == workspace_id, self.one_of(Offer.id, ids)))
        return len(set(ids))

    # ---- store-wide counts and clean-up (domain.catalog.maintenance) -----------------------------------

    async def _count(self, model: type[Product | Brand | Category | Offer], *where: ColumnElement[bool]) -> int:
        return int((await self.session.execute(select(func.count()).select_from(model).where(*where))).scalar_one())

    async def totals(self, workspace_id: str) -> dict[str, int]:
        """Live products, brands, categories and offers of the workspace."""
        return {
            "products": await self._count(Product, *_live(workspace_id)),
            "brands": await self._count(Brand, Brand.workspace_id == workspace_id),
            "categories": await self._count(Category, Category.workspace_id == workspace_id),
            "offers": await self._count(Offer, Offer.workspace_id == workspace_id),
        }

    async def out_of_stock_offer_ids(self, workspace_id: str) -> list[int]:
        stmt = select(Offer.id).where(Offer.workspace_id == workspace_id, Offer.stock_available.is_(False))
        return list((await self.session.execute(stmt)).scalars())

    async def offerless_product_ids(self, workspace_id: str) -> list[int]:
        """Live products no offer links to."""
        has_offer = exists().where(OfferProduct.product_id == Product.id)
        stmt = select(Product.id).where(*_live(workspace_id), ~has_offer)
        return list((await self.session.execute(stmt)).scalars())

    async def empty_brand_ids(self, workspace_id: str) -> list[int]:
        """Brands without a live product."""
        has_product = exists().where(Product.brand_id == Brand.id, Product.deleted_at.is_(None))
        stmt = select(Brand.id).where(Brand.workspace_id == workspace_id, ~has_product)
        return list((await self.session.execute(stmt)).scalars())

    async def empty_leaf_category_ids(self, workspace_id: str) -> list[int]:
        """Categories with neither a live product nor a child category."""
        child = Category.__table__.alias("child")
        live_product = (
            select(ProductCategory.product_id)
            .join(Product, Product.id == ProductCategory.product_id)
            .where(ProductCategory.category_id == Category.id, Product.deleted_at.is_(None))
            .exists()
        )
        stmt = select(Category.id).where(
            Category.workspace_id == workspace_id, ~live_product, ~exists().where(child.c.parent_id == Category.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def soft_delete_products(self, workspace_id: str, ids: Sequence[int]) -> int:
        """Mark live products deleted: the rows stay (their slugs stay reserved), no read returns them again."""
        if not ids:
            return 0
        stmt = update(Product).where(*_live(workspace_id), self.one_of(Product.id, ids)).values(deleted_at=utcnow())
        result = cast(CursorResult[Any], await self.session.execute(stmt))
        return int(result.rowcount)


class ReviewRepository(WorkspaceRepository):
    async def add_all(self, rows: Sequence[ProductReview]) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def external_ids(self, workspace_id: str, product_id: int, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` the product's stored reviews already carry."""
        if not ids:
            return set()
        stmt = select(ProductReview.external_review_id).where(
            ProductReview.workspace_id == workspace_id,
            ProductReview.product_id == product_id,
            ProductReview.external_review_id.in_(set(ids)),
        )
        return {str(v) for v in (await self.session.execute(stmt)).scalars()}

    async def first_reviews(
        self, workspace_id: str, product_ids: Sequence[int], limit: int, *, offset: int = 0
    ) -> dict[int, list[ProductReview]]:
        """Each product's reviews ``offset`` .. ``offset + limit`` in the order they were added: one query for
        every product (a window over each product's reviews)."""
        if not product_ids:
            return {}
        position = (
            func.row_number().over(partition_by=ProductReview.product_id, order_by=ProductReview.id).label("position")
        )
        numbered = (
            select(ProductReview.id, position)
            .where(ProductReview.workspace_id == workspace_id, ProductReview.product_id.in_(set(product_ids)))
            .subquery()
        )
        stmt = (
            select(ProductReview)
            .join(numbered, numbered.c.id == ProductReview.id)
            .where(numbered.c.position > offset, numbered.c.position <= offset + limit)
            .order_by(ProductReview.product_id, ProductReview.id)
        )
        out: dict[int, list[ProductReview]] = {}
        for row in (await self.session.execute(stmt)).scalars():
            out.setdefault(row.product_id, []).append(row)
        return out

    async def counts(self, workspace_id: str, product_ids: Sequence[int]) -> dict[int, int]:
        if not product_ids:
            return {}
        stmt = (
            select(ProductReview.product_id, func.count())
            .where(ProductReview.workspace_id == workspace_id, ProductReview.product_id.in_(set(product_ids)))
            .group_by(ProductReview.product_id)
        )
        return {int(pid): int(n) for pid, n in (await self.session.execute(stmt)).all()}
