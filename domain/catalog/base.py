"""What the catalog's services share: reading one object of the caller's workspace (404 when it is not there),
and for products, brands and categories creating and changing one under its slug. Services never commit."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.principal import Principal
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.naming import NamedWrites
from domain.catalog.repository import CatalogRepository
from domain.errors import NotFound
from domain.validation import Command

C = TypeVar("C", Brand, Category, Offer, Product)
N = TypeVar("N", Brand, Category, Product)
K = TypeVar("K", bound=Command)


class CatalogService(Generic[C]):
    model: ClassVar[type[Any]]
    read: ClassVar[str]  # the permissions
    manage: ClassVar[str]
    missing: ClassVar[str]  # the 404's message

    def __init__(self, session: AsyncSession) -> None:
        self.repo = CatalogRepository(session)

    async def get(self, principal: Principal, obj_id: int) -> C:
        principal.require(self.read)
        obj = await self._find(principal.workspace_id, obj_id)
        if obj is None:
            raise NotFound(self.missing)
        return obj

    async def _find(self, workspace_id: str, obj_id: int) -> C | None:
        found: C | None = await self.repo.get(self.model, workspace_id, obj_id)
        return found


class NamedService(CatalogService[N], Generic[N, K]):
    """Products, brands and categories: each has a slug unique in its workspace, given or made from the title
    (``slug_base`` when the title has no letters or digits)."""

    slug_base: ClassVar[str]

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self.writes = NamedWrites(self.repo, fallback=self.slug_base)

    async def create(self, principal: Principal, command: K) -> N:
        principal.require(self.manage)
        obj: N = self.model(workspace_id=principal.workspace_id, **command.sent(exclude=["slug"]))
        await self.writes.insert(obj, getattr(command, "slug", None))
        return obj

    async def update(self, principal: Principal, obj_id: int, command: K) -> N:
        """Change the fields the command carries (a partial one); the others keep their values."""
        principal.require(self.manage)
        obj = await self.get(principal, obj_id)
        await self.writes.update(obj, command)
        return obj
