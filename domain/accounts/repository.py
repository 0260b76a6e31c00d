"""All SQL for accounts."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import BigInteger, Row, bindparam, case, func, literal, select, tuple_, update

from domain.accounts.models import ApiKey, CreditEntry, Membership, User, Workspace
from domain.repository import Repository

if TYPE_CHECKING:
    from domain.accounts.credits import Pools

# Values one IN list carries: one statement for any number a process plausibly checks at once, and well
# under the bound parameters SQLite (32766) and asyncpg (32767) accept in one statement.
IN_BATCH = 1000
T = TypeVar("T")


def _batches(values: Sequence[T]) -> list[Sequence[T]]:
    return [values[i : i + IN_BATCH] for i in range(0, len(values), IN_BATCH)]


# Every authenticated request runs it: built once (building the construct cost more than running it), its
# columns read as a plain row (``Repository._rows``).
_KEY_BY_HASH = select(*ApiKey.__table__.c).where(ApiKey.key_hash == bindparam("key_hash"))


class AccountsRepository(Repository):
    async def get_workspace(self, workspace_id: str) -> Workspace | None:
        return await self.session.get(Workspace, workspace_id)

    async def get_workspace_for_update(self, workspace_id: str) -> Workspace | None:
        """The workspace, locked until the transaction ends (so two rotations of its secret queue up)."""
        return await self.session.get(Workspace, workspace_id, with_for_update=True, populate_existing=True)

    async def get_user(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_user_by_email(self, email: str) -> User | None:
        return (await self.session.execute(select(User).where(User.email == email))).scalar_one_or_none()

    async def get_membership(
        self, workspace_id: str, user_id: int, *, include_deleted: bool = False
    ) -> Membership | None:
        stmt = select(Membership).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
        if not include_deleted:
            stmt = stmt.where(Membership.deleted_at.is_(None))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def live_memberships(self, pairs: Collection[tuple[str, int]]) -> dict[tuple[str, int], Membership]:
        """The live memberships among (workspace id, user id) ``pairs``, by pair; absent when removed or unknown."""
        found: dict[tuple[str, int], Membership] = {}
        for batch in _batches(sorted(set(pairs))):
            stmt = select(Membership).where(
                tuple_(Membership.workspace_id, Membership.user_id).in_(batch), Membership.deleted_at.is_(None)
            )
            found.update({(m.workspace_id, m.user_id): m for m in (await self.session.execute(stmt)).scalars()})
        return found

    async def list_memberships(self, workspace_id: str) -> Sequence[Membership]:
        stmt = (
            select(Membership)
            .where(Membership.workspace_id == workspace_id, Membership.deleted_at.is_(None))
            .order_by(Membership.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def get_api_key_by_hash(self, key_hash: str) -> Row[Any] | None:
        """The key's columns (named as ``ApiKey``'s attributes) as a plain row, to read, not to change."""
        rows = await self._rows(_KEY_BY_HASH, {"key_hash": key_hash})
        return rows[0] if rows else None

    async def api_keys_by_hashes(self, key_hashes: Collection[str]) -> dict[str, ApiKey]:
        """The keys among ``key_hashes`` (revoked and expired ones included), by hash."""
        found: dict[str, ApiKey] = {}
        for batch in _batches(sorted(set(key_hashes))):
            stmt = select(ApiKey).where(ApiKey.key_hash.in_(batch))
            found.update({k.key_hash: k for k in (await self.session.execute(stmt)).scalars()})
        return found

    async def get_api_key(self, workspace_id: str, key_id: str) -> ApiKey | None:
        stmt = select(ApiKey).where(ApiKey.workspace_id == workspace_id, ApiKey.id == key_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_api_keys(self, workspace_id: str) -> Sequence[ApiKey]:
        stmt = select(ApiKey).where(ApiKey.workspace_id == workspace_id).order_by(ApiKey.created_at)
        return (await self.session.execute(stmt)).scalars().all()

    async def users_by_ids(self, ids: Sequence[int]) -> dict[int, User]:
        rows = (await self.session.execute(select(User).where(User.id.in_(ids)))).scalars().all()
        return {u.id: u for u in rows}

    async def members_page(
        self, workspace_id: str, limit: int, offset: int
    ) -> tuple[list[tuple[User, Membership]], int]:
        """``limit`` live members from ``offset``, with their users (by user id), and how many there are."""
        where = (Membership.workspace_id == workspace_id, Membership.deleted_at.is_(None))
        total = (await self.session.execute(select(func.count()).select_from(Membership).where(*where))).scalar_one()
        stmt = (
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(*where)
            .order_by(User.id)
            .limit(limit)
            .offset(offset)
        )
        rows = [(u, m) for u, m in (await self.session.execute(stmt)).all()]
        return rows, int(total)

    async def member_with_user(self, workspace_id: str, user_id: int) -> tuple[User, Membership] | None:
        """A member of the workspace with their user, including one whose membership was deleted."""
        stmt = (
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace_id, User.id == user_id)
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def count_other_memberships(self, workspace_id: str, user_id: int) -> int:
        """How many live memberships the user holds in workspaces other than this one."""
        stmt = (
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.user_id == user_id, Membership.workspace_id != workspace_id, Membership.deleted_at.is_(None)
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def touch_api_key(self, key_id: str, when: datetime) -> None:
        await self.session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))


# What every change of a workspace's credits answers (RETURNING: the new values, and the subscription credits
# before the change, which the statement itself keeps in ``previous_subscription_credits``).
# (workspace_id, plan, subscription_credits, topup_credits, previous_subscription_credits, plan_renews_at)
AccountRow = Row[str, str, int, int, int, datetime | None]
_ACCOUNT = (
    Workspace.id.label("workspace_id"),
    Workspace.plan,
    Workspace.subscription_credits,
    Workspace.topup_credits,
    Workspace.previous_subscription_credits,
    Workspace.plan_renews_at,
)


class CreditsRepository(Repository):
    """All SQL for credits: each change is one conditional UPDATE of the workspace row, never a read and a write."""

    async def account(self, workspace_id: str) -> AccountRow | None:
        return (await self.session.execute(select(*_ACCOUNT).where(Workspace.id == workspace_id))).one_or_none()

    async def total(self, workspace_id: str) -> int | None:
        stmt = select(Workspace.subscription_credits + Workspace.topup_credits).where(Workspace.id == workspace_id)
        found = (await self.session.execute(stmt)).scalar_one_or_none()
        return None if found is None else int(found)

    async def debit(self, workspace_id: str, amount: int) -> AccountRow | None:
        """Take ``amount``, subscription credits first, when the two pools together hold it; None otherwise.
        (Every SET expression reads the row as it was before the statement, on SQLite as on PostgreSQL.)"""
        cost = literal(amount, BigInteger)
        subscription = Workspace.subscription_credits
        from_subscription = case((subscription >= cost, cost), else_=subscription)
        stmt = (
            update(Workspace)
            .where(Workspace.id == workspace_id, subscription + Workspace.topup_credits >= cost)
            .values(
                subscription_credits=subscription - from_subscription,
                topup_credits=Workspace.topup_credits - (cost - from_subscription),
                previous_subscription_credits=subscription,
            )
            .returning(*_ACCOUNT)
            .execution_options(synchronize_session="fetch")
        )
        return (await self.session.execute(stmt)).one_or_none()

    async def credit(self, workspace_id: str, pools: Pools) -> AccountRow | None:
        """Add to each pool (a refund, a grant); None for an unknown workspace."""
        stmt = (
            update(Workspace)
            .where(Workspace.id == workspace_id)
            .values(
                subscription_credits=Workspace.subscription_credits + literal(pools.subscription, BigInteger),
                topup_credits=Workspace.topup_credits + literal(pools.topup, BigInteger),
                previous_subscription_credits=Workspace.subscription_credits,
            )
            .returning(*_ACCOUNT)
            .execution_options(synchronize_session="fetch")
        )
        return (await self.session.execute(stmt)).one_or_none()

    async def renew(self, workspace_id: str, *, due: datetime, monthly: int, following: datetime) -> AccountRow | None:
        """Start the next period: the subscription credits reset to ``monthly``, renewing at ``following``.
        Only while the renewal is still the one found ``due``: of concurrent renewals, one matches."""
        stmt = (
            update(Workspace)
            .where(Workspace.id == workspace_id, Workspace.plan_renews_at == due)
            .values(
                subscription_credits=literal(monthly, BigInteger),
                previous_subscription_credits=Workspace.subscription_credits,
                plan_renews_at=following,
            )
            .returning(*_ACCOUNT)
            .execution_options(synchronize_session="fetch")
        )
        return (await self.session.execute(stmt)).one_or_none()

    async def add_entries(self, entries: Sequence[CreditEntry]) -> None:
        self.session.add_all(entries)
        await self.session.flush()

    async def latest_entry(self, workspace_id: str, reason: str, reference: str) -> CreditEntry | None:
        stmt = (
            select(CreditEntry)
            .where(
                CreditEntry.workspace_id == workspace_id,
                CreditEntry.reference == reference,
                CreditEntry.reason == reason,
            )
            .order_by(CreditEntry.id.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def entries(self, workspace_id: str, *, limit: int, before_id: int | None) -> tuple[list[CreditEntry], int]:
        """Newest first: ``limit`` entries older than ``before_id``, and how many the workspace has."""
        where = [CreditEntry.workspace_id == workspace_id]
        total = (await self.session.execute(select(func.count()).select_from(CreditEntry).where(*where))).scalar_one()
        if before_id is not None:
            where.append(CreditEntry.id < before_id)
        stmt = select(CreditEntry).where(*where).order_by(CreditEntry.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars()), int(total)
