"""Which ids name live objects in one workspace, and which values of unique fields are taken: the checks
behind ``Ref`` and ``Unique`` fields (``domain.validation``). One query per field, whatever the number of ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.models import User
from domain.catalog.models import Brand, Category, Offer, Product
from domain.store.models import Article, ArticleCategory, Page
from domain.trees import makes_cycle
from domain.validation import INT_MAX

# A reference kind → its model, and what else makes a row count as live.
KINDS: dict[str, tuple[Any, tuple[ColumnElement[bool], ...]]] = {
    "product": (Product, (Product.deleted_at.is_(None),)),
    "brand": (Brand, ()),
    "category": (Category, ()),
    "offer": (Offer, ()),
    "article": (Article, ()),
    "article_category": (ArticleCategory, ()),
    "page": (Page, ()),
}


# A unique field's kind → its model and column, as the services check them: every row counts (a deleted
# product keeps its slug reserved).
UNIQUE: dict[str, tuple[Any, Any]] = {
    "product.slug": (Product, Product.slug),
    "brand.slug": (Brand, Brand.slug),
    "category.slug": (Category, Category.slug),
    "article.slug": (Article, Article.slug),
    "article_category.slug": (ArticleCategory, ArticleCategory.slug),
    "page.slug": (Page, Page.slug),
    "page.key": (Page, Page.key),
}
# A person's email is theirs across every store: unique over all users, not per workspace.
USER_EMAIL = "user.email"


class WorkspaceReferences:
    def __init__(self, session: AsyncSession, workspace_id: str) -> None:
        self.session = session
        self.workspace_id = workspace_id

    async def known(self, kind: str, ids: Sequence[int]) -> set[int]:
        model, live = KINDS[kind]
        wanted = {i for i in ids if 0 < i <= INT_MAX}
        if not wanted:
            return set()
        stmt = select(model.id).where(model.workspace_id == self.workspace_id, model.id.in_(wanted), *live)
        return {int(row) for row in (await self.session.execute(stmt)).scalars()}

    async def taken(self, kind: str, value: str, subject: int | None) -> bool:
        if kind == USER_EMAIL:
            stmt = select(User.id).where(User.email == value)
            owner_id: Any = User.id
        else:
            model, column = UNIQUE[kind]
            stmt = select(model.id).where(model.workspace_id == self.workspace_id, column == value)
            owner_id = model.id
        if subject is not None:
            stmt = stmt.where(owner_id != subject)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def makes_cycle(self, kind: str, subject: int, parent_id: int) -> bool:
        model, _live = KINDS[kind]
        stmt = select(model.id, model.parent_id).where(model.workspace_id == self.workspace_id)
        parents = {int(i): p for i, p in (await self.session.execute(stmt)).all()}
        return makes_cycle(parents, subject, parent_id)
