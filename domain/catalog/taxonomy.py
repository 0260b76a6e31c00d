"""Brands and the category tree: the rules. Services never commit; the caller owns the transaction.

Commands arrive parsed (``domain.catalog.commands``); what needs the current state (a slug already taken, a
category moved under one of its own descendants) is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.principal import Principal
from domain.catalog.base import NamedService
from domain.catalog.commands import BrandCommand, BrandFilter, CategoryCommand, CategoryFilter, ProductFilter
from domain.catalog.models import Brand, Category, Product
from domain.catalog.rules import BRAND_SORT, CATEGORY_SORT, PRODUCT_SORT
from domain.errors import Problems
from domain.paging import Page, PageRequest
from domain.trees import makes_cycle


@dataclass(frozen=True)
class CategoryCounts:
    products: dict[int, int]
    children: dict[int, int]


@dataclass
class TreeNode:
    category: Category
    children: list[TreeNode]


class BrandService(NamedService[Brand, BrandCommand]):
    model = Brand
    read, manage = "store.brands.read", "store.brands.manage"
    missing = "Brand not found."
    slug_base = "brand"

    async def page(self, principal: Principal, f: BrandFilter, request: PageRequest) -> Page[Brand]:
        principal.require(self.read)
        return await self.repo.brand_page(principal.workspace_id, f, BRAND_SORT.check(request.sort), request)

    async def product_counts(self, principal: Principal, ids: list[int]) -> dict[int, int]:
        """Live products per brand."""
        return await self.repo.brand_product_counts(principal.workspace_id, ids)

    async def products(self, principal: Principal, brand_id: int, request: PageRequest) -> Page[Product]:
        brand = await self.get(principal, brand_id)
        f = ProductFilter(brand_id=brand.id)
        return await self.repo.product_page(principal.workspace_id, f, PRODUCT_SORT.check(request.sort), request)

    async def delete(self, principal: Principal, brand_id: int) -> None:
        """The brand's products keep going, without a brand."""
        principal.require(self.manage)
        brand = await self.get(principal, brand_id)
        await self.repo.delete_brands(principal.workspace_id, [brand.id])


class CategoryService(NamedService[Category, CategoryCommand]):
    model = Category
    read, manage = "store.categories.read", "store.categories.manage"
    missing = "Category not found."
    slug_base = "category"

    async def exists(self, workspace_id: str, category_id: int) -> bool:
        """For another area's rule that references a category (an article's product category): no permission
        check, the caller's own write permission covers naming one."""
        return await self.repo.get(Category, workspace_id, category_id) is not None

    async def page(self, principal: Principal, f: CategoryFilter, request: PageRequest) -> Page[Category]:
        principal.require(self.read)
        return await self.repo.category_page(principal.workspace_id, f, CATEGORY_SORT.check(request.sort), request)

    async def counts(self, principal: Principal, ids: list[int]) -> CategoryCounts:
        """Live products and children per category."""
        return CategoryCounts(
            products=await self.repo.category_product_counts(principal.workspace_id, ids),
            children=await self.repo.category_children_counts(principal.workspace_id, ids),
        )

    async def tree(self, principal: Principal) -> tuple[list[TreeNode], CategoryCounts]:
        """The whole tree in two queries (categories, product counts)."""
        principal.require(self.read)
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

    async def products(self, principal: Principal, category_id: int, request: PageRequest) -> Page[Product]:
        category = await self.get(principal, category_id)
        f = ProductFilter(category_id=category.id)
        return await self.repo.product_page(principal.workspace_id, f, PRODUCT_SORT.check(request.sort), request)

    async def update(self, principal: Principal, category_id: int, command: CategoryCommand) -> Category:
        """Change the fields the command carries (a partial one); the others keep their values. A parent that
        is the category itself or one of its descendants is refused (rule ``not_descendant``)."""
        principal.require(self.manage)
        category = await self.get(principal, category_id)
        problems = Problems()
        if command.parent_id is not None:
            parents = await self.repo.category_parents(principal.workspace_id)
            if makes_cycle(parents, category.id, command.parent_id):
                problems.add("parent_id", "not_descendant", "A category cannot move under itself or a descendant.")
        await self.writes.update(category, command, problems, code="category_cycle" if problems else None)
        return category

    async def delete(self, principal: Principal, category_id: int) -> None:
        """The category's children move up to its parent; its product links go with it."""
        principal.require(self.manage)
        category = await self.get(principal, category_id)
        await self.repo.reparent_children(principal.workspace_id, category.id, category.parent_id)
        await self.repo.delete_categories(principal.workspace_id, [category.id])
