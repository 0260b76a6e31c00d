"""All SQL of the spaces area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from domain.accounts.models import Membership, User
from domain.base import utcnow
from domain.paging import Page, PageRequest
from domain.repository import WorkspaceRepository
from domain.spaces.models import OWNER, Space, SpaceMember, SpaceProductPost


@dataclass(frozen=True)
class MemberView:
    """A space member with the workspace user it is (``active``: still a member of the workspace)."""

    member: SpaceMember
    user: User
    active: bool


class SpacesRepository(WorkspaceRepository):
    # --- spaces -------------------------------------------------------------------------------------

    async def space(self, workspace_id: str, space_id: int) -> Space | None:
        return await self.get(Space, workspace_id, space_id)

    async def spaces_page(self, workspace_id: str, user_id: int | None, request: PageRequest) -> Page[Space]:
        """The workspace's spaces, oldest first; ``user_id``: only those the user is a member of."""
        stmt = select(Space).where(Space.workspace_id == workspace_id)
        if user_id is not None:
            stmt = stmt.where(Space.id.in_(select(SpaceMember.space_id).where(SpaceMember.user_id == user_id)))
        total = (await self.session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = await self.session.execute(stmt.order_by(Space.id).offset(request.offset).limit(request.limit))
        return Page.of(list(rows.scalars()), total, request)

    async def take_place(self, space_id: int) -> bool:
        """Count one more product in the space if it has room: one conditional UPDATE, so concurrent posts
        never take more places than there are."""
        result = await self.session.execute(
            update(Space)
            .where(Space.id == space_id, Space.product_count < Space.max_products)
            .values(product_count=Space.product_count + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- members ------------------------------------------------------------------------------------

    async def member(self, space_id: int, user_id: int) -> SpaceMember | None:
        stmt = select(SpaceMember).where(SpaceMember.space_id == space_id, SpaceMember.user_id == user_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def members(self, workspace_id: str, space_id: int) -> list[MemberView]:
        """The space's members in the order they joined, with their users."""
        stmt = (
            select(SpaceMember, User, Membership.id)
            .join(User, User.id == SpaceMember.user_id)
            .outerjoin(
                Membership,
                (Membership.workspace_id == SpaceMember.workspace_id)
                & (Membership.user_id == SpaceMember.user_id)
                & Membership.deleted_at.is_(None),
            )
            .where(SpaceMember.workspace_id == workspace_id, SpaceMember.space_id == space_id)
            .order_by(SpaceMember.id)
        )
        rows = await self.session.execute(stmt)
        return [MemberView(member, user, membership_id is not None) for member, user, membership_id in rows.all()]

    async def owners(self, space_id: int) -> int:
        stmt = select(func.count()).where(SpaceMember.space_id == space_id, SpaceMember.role == OWNER)
        return int((await self.session.execute(stmt)).scalar_one())

    async def remove_member(self, member: SpaceMember) -> None:
        await self.session.execute(delete(SpaceMember).where(SpaceMember.id == member.id))

    # --- posts --------------------------------------------------------------------------------------

    async def posts_page(self, workspace_id: str, space_id: int, request: PageRequest) -> Page[SpaceProductPost]:
        """The space's posts, newest first."""
        where = (SpaceProductPost.workspace_id == workspace_id, SpaceProductPost.space_id == space_id)
        total = (await self.session.execute(select(func.count()).where(*where))).scalar_one()
        stmt = (
            select(SpaceProductPost)
            .where(*where)
            .order_by(SpaceProductPost.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        )
        return Page.of(list((await self.session.execute(stmt)).scalars()), total, request)

    async def post(self, workspace_id: str, post_id: int) -> SpaceProductPost | None:
        return await self.get(SpaceProductPost, workspace_id, post_id)

    async def users(self, ids: Sequence[int]) -> dict[int, User]:
        if not ids:
            return {}
        rows = await self.session.execute(select(User).where(self.one_of(User.id, ids)))
        return {user.id: user for user in rows.scalars()}
