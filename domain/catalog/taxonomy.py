"""Brands and the category tree: the rules. Services never commit; the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.catalog import inputs
from domain.catalog.models import Brand, Category, Product
from domain.catalog.repository import BrandFilter, CatalogRepository, CategoryFilter, ProductFilter, Sort
from domain.catalog.rules import Page
from domain.errors import InvalidInput, NotFound
from domain.slugs import next_free_slug, slugify
from domain.trees import makes_cycle


class SlugMixin:
    repo: CatalogRepository

    async def assign_slug(
        self,
        model: type[Product | Brand | Category],
        obj: Product | Brand | Category,
        *,
        requested: str | None,
        fallback: str,
    ) -> None:
        """An explicit slug must be free in the workspace; otherwise one is generated from the title."""
        if requested is not None and requested.strip():
            slug = slugify(requested)
            if not slug:
                raise InvalidInput.field("slug", "The slug field must contain letters or digits.")
            owner = await self.repo.slug_owner(model, obj.workspace_id, slug)
            if owner is not None and owner != getattr(obj, "id", None):
                raise InvalidInput.field("slug", "The slug has already been taken.")
            obj.slug = slug
            return
        base = slugify(obj.title) or fallback
        obj.slug = next_free_slug(base, await self.repo.taken_slugs(model, obj.workspace_id, base))


@dataclass(frozen=True)
class CategoryCounts:
    products: dict[int, int]
    children: dict[int, int]


@dataclass
class TreeNode:
    category: Category
    children: list[TreeNode]


class BrandService(SlugMixin):
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def get(self, principal: Principal, brand_id: int) -> Brand:
        principal.require("store.brands.read")
        brand = await self.repo.get_brand(principal.workspace_id, brand_id)
        if brand is None:
            raise NotFound("Brand not found.")
        return brand

    async def page(self, principal: Principal, f: BrandFilter, sort: Sort, offset: int, limit: int) -> Page[Brand]:
        principal.require("store.brands.read")
        items, total = await self.repo.brand_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def product_counts(self, principal: Principal, ids: list[int]) -> dict[int, int]:
        return await self.repo.brand_product_counts(principal.workspace_id, ids)

    async def products(self, principal: Principal, brand_id: int, sort: Sort, offset: int, limit: int) -> Page[Product]:
        brand = await self.get(principal, brand_id)
        f = ProductFilter(brand_id=brand.id)
        items, total = await self.repo.product_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def create(self, principal: Principal, values: dict[str, Any]) -> Brand:
        principal.require("store.brands.manage")
        data = inputs.clean(inputs.BRAND_RULES, values, partial=False)
        slug = data.pop("slug", None)
        brand = Brand(workspace_id=principal.workspace_id, **data)
        await self.assign_slug(Brand, brand, requested=slug, fallback="brand")
        self.repo.add(brand)
        await self.repo.flush()
        return brand

    async def update(self, principal: Principal, brand_id: int, values: dict[str, Any]) -> Brand:
        principal.require("store.brands.manage")
        brand = await self.get(principal, brand_id)
        data = inputs.clean(inputs.BRAND_RULES, values, partial=True)
        slug = data.pop("slug", None)
        for key, value in data.items():
            setattr(brand, key, value)
        if "slug" in values and slug:
            await self.assign_slug(Brand, brand, requested=slug, fallback="brand")
        brand.updated_at = utcnow()
        await self.repo.flush()
        return brand

    async def delete(self, principal: Principal, brand_id: int) -> None:
        principal.require("store.brands.manage")
        brand = await self.get(principal, brand_id)
        await self.repo.delete_brands(principal.workspace_id, [brand.id])


class CategoryService(SlugMixin):
    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def get(self, principal: Principal, category_id: int) -> Category:
        principal.require("store.categories.read")
        category = await self.repo.get_category(principal.workspace_id, category_id)
        if category is None:
            raise NotFound("Category not found.")
        return category

    async def exists(self, workspace_id: str, category_id: int) -> bool:
        """For another area's rule that references a category (an article's product category): no permission
        check, the caller's own write permission covers naming one."""
        return await self.repo.get_category(workspace_id, category_id) is not None

    async def page(
        self, principal: Principal, f: CategoryFilter, sort: Sort, offset: int, limit: int
    ) -> Page[Category]:
        principal.require("store.categories.read")
        items, total = await self.repo.category_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def counts(self, principal: Principal, ids: list[int]) -> CategoryCounts:
        return CategoryCounts(
            products=await self.repo.category_product_counts(principal.workspace_id, ids),
            children=await self.repo.category_children_counts(principal.workspace_id, ids),
        )

    async def tree(self, principal: Principal) -> tuple[list[TreeNode], CategoryCounts]:
        """The whole tree in two queries (categories, product counts)."""
        principal.require("store.categories.read")
        rows = await self.repo.all_categories(principal.workspace_id)
        nodes = {c.id: TreeNode(c, []) for c in rows}
        roots: list[TreeNode] = []
        children: dict[int, int] = {}
        for c in rows:
            if c.parent_id is not None and c.parent_id in nodes:
                nodes[c.parent_id].children.append(nodes[c.id])
                children[c.parent_id] = children.get(c.parent_id, 0) + 1
            else:
                roots.append(nodes[c.id])
        products = await self.repo.category_product_counts(principal.workspace_id, None)
        return roots, CategoryCounts(products=products, children=children)

    async def products(
        self, principal: Principal, category_id: int, sort: Sort, offset: int, limit: int
    ) -> Page[Product]:
        category = await self.get(principal, category_id)
        f = ProductFilter(category_id=category.id)
        items, total = await self.repo.product_page(principal.workspace_id, f, sort, offset, limit)
        return Page(items, total)

    async def _check_parent(self, principal: Principal, category: Category | None, parent_id: int | None) -> None:
        if parent_id is None:
            return
        parents = await self.repo.category_parents(principal.workspace_id)
        if parent_id not in parents:
            raise InvalidInput.field("parent_id", "The selected parent id is invalid.")
        if category is not None and makes_cycle(parents, category.id, parent_id):
            raise InvalidInput.field(
                "parent_id",
                "The parent id cannot be the category itself or one of its descendants.",
                code="category_cycle",
            )

    async def create(self, principal: Principal, values: dict[str, Any]) -> Category:
        principal.require("store.categories.manage")
        data = inputs.clean(inputs.CATEGORY_RULES, values, partial=False)
        await self._check_parent(principal, None, data.get("parent_id"))
        slug = data.pop("slug", None)
        category = Category(workspace_id=principal.workspace_id, **data)
        await self.assign_slug(Category, category, requested=slug, fallback="category")
        self.repo.add(category)
        await self.repo.flush()
        return category

    async def update(self, principal: Principal, category_id: int, values: dict[str, Any]) -> Category:
        principal.require("store.categories.manage")
        category = await self.get(principal, category_id)
        data = inputs.clean(inputs.CATEGORY_RULES, values, partial=True)
        if "parent_id" in data:
            await self._check_parent(principal, category, data["parent_id"])
        slug = data.pop("slug", None)
        for key, value in data.items():
            setattr(category, key, value)
        if slug:
            await self.assign_slug(Category, category, requested=slug, fallback="category")
        category.updated_at = utcnow()
        await self.repo.flush()
        return category

    async def delete(self, principal: Principal, category_id: int) -> None:
        """The category's children move up to its parent; its product links go with it."""
        principal.require("store.categories.manage")
        category = await self.get(principal, category_id)
        await self.repo.reparent_children(principal.workspace_id, category.id, category.parent_id)
        await self.repo.delete_categories(principal.workspace_id, [category.id])
