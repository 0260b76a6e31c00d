"""Which ids name live objects in one workspace: the existence check behind ``Ref`` fields
(``domain.validation``). One query per field, whatever the number of ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalog.models import Brand, Category, Offer, Product
from domain.store.models import Article, ArticleCategory, Page
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
