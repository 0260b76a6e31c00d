"""The store's users: the workspace's members, managed through the store API. Services never commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.models import Membership, User
from domain.accounts.permissions import ROLES, permissions_for_role
from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.accounts.tokens import TokenService, hash_password
from domain.base import utcnow
from domain.errors import InvalidInput, NotFound, PermissionDenied, Unauthenticated
from domain.paging import Page, PageRequest
from domain.store.commands import CreateUserCommand, UpdateUserCommand
from domain.store.service import StoreService

DEFAULT_ROLE = "viewer"


@dataclass(frozen=True)
class StoreUser:
    user: User
    membership: Membership
    created: bool = False

    @property
    def roles(self) -> list[str]:
        return [self.membership.role]


def _strongest(roles: list[str]) -> str:
    """Memberships carry one role: of several requested, the most powerful one (ROLES is ordered)."""
    return min(roles, key=ROLES.index)


class StoreUsersService:
    def __init__(self, session: AsyncSession, tokens: TokenService | None = None) -> None:
        self.session = session
        self.accounts = AccountsRepository(session)
        self.tokens = tokens

    def _check_grant(self, principal: Principal, role: str) -> None:
        # Like API keys: nobody hands out more than they hold (a users:write key cannot mint an owner).
        if not permissions_for_role(role) <= principal.permissions:
            raise PermissionDenied(f"This token cannot grant the role '{role}'.")

    async def page(self, principal: Principal, request: PageRequest) -> Page[StoreUser]:
        principal.require("store.users.read")
        rows, total = await self.accounts.members_page(principal.workspace_id, request.limit, request.offset)
        return Page.of([StoreUser(u, m) for u, m in rows], total, request)

    async def get(self, principal: Principal, user_id: int) -> StoreUser:
        principal.require("store.users.read")
        found = await self.accounts.member_with_user(principal.workspace_id, user_id)
        if found is None:
            raise NotFound("No such user.")
        return StoreUser(*found)

    async def create(self, principal: Principal, command: CreateUserCommand) -> StoreUser:
        """A known email returns the existing user (a deleted membership included, left as it is)."""
        principal.require("store.users.manage")
        role = _strongest(command.roles) if command.roles else DEFAULT_ROLE
        user = await self.accounts.get_user_by_email(command.email)
        if user is not None:
            existing = await self.accounts.member_with_user(principal.workspace_id, user.id)
            if existing is not None:
                return StoreUser(*existing)
        self._check_grant(principal, role)
        if user is None:
            user = User(
                email=command.email,
                first_name=command.first_name,
                last_name=command.last_name,
                password_hash=await hash_password(command.password or secrets.token_urlsafe(24)),
            )
            self.accounts.add(user)
            await self.accounts.flush()
        membership = Membership(
            workspace_id=principal.workspace_id, user_id=user.id, role=role, newsletter=command.newsletter
        )
        self.accounts.add(membership)
        await self.accounts.flush()
        return StoreUser(user, membership, created=True)

    async def update(self, principal: Principal, user_id: int, command: UpdateUserCommand) -> StoreUser:
        principal.require("store.users.manage")
        current = await self.get(principal, user_id)
        sent = command.sent()
        if "email" in sent:
            other = await self.accounts.get_user_by_email(command.email)
            if other is not None and other.id != current.user.id:
                raise InvalidInput.field("email", "This email is taken.", rule="unique")
        personal = {k: v for k, v in sent.items() if k in ("first_name", "last_name", "email")}
        changed = {k: v for k, v in personal.items() if getattr(current.user, k) != v}
        if changed and await self.accounts.count_other_memberships(principal.workspace_id, current.user.id):
            # A person's name and email are theirs across every store they belong to: one store may not
            # rewrite them for the others.
            raise PermissionDenied("This user also belongs to another store; only they can change their details.")
        for name, value in changed.items():
            setattr(current.user, name, value)
        if changed:
            current.user.updated_at = utcnow()
        if "newsletter" in sent:
            current.membership.newsletter = command.newsletter
        await self.accounts.flush()
        return current

    async def login_link(self, principal: Principal, email: str | None, *, fallback_url: str) -> str:
        """The magic link URL for an active member: under the store's url setting, else ``fallback_url``."""
        _member, token = await self.login_token(principal, email)
        settings = await StoreService(self.session).all_settings_unchecked(principal.workspace_id)
        base = (settings.get("store_url") or fallback_url).rstrip("/")
        return f"{base}/magiclink/{token}"

    async def login_token(self, principal: Principal, email: str | None) -> tuple[StoreUser, str]:
        """A signed token for an active member."""
        principal.require("store.users.manage")
        if self.tokens is None:
            raise RuntimeError("StoreUsersService needs the TokenService for login links")
        if email is None or not email.strip():
            raise InvalidInput.field("email", "This field is required.", rule="required")
        user = await self.accounts.get_user_by_email(email.strip().lower())
        found = await self.accounts.member_with_user(principal.workspace_id, user.id) if user else None
        if found is None or found[1].deleted_at is not None:
            raise InvalidInput.field("email", "No member of this store has this email.", rule="exists")
        member = StoreUser(*found)
        self._check_grant(principal, member.membership.role)
        return member, self.tokens.issue_login_link(member.user.id, principal.workspace_id)

    async def verify_login_link(self, token: str) -> StoreUser:
        """The active member a login link names (401 when it is forged, expired or the member is gone)."""
        if self.tokens is None:
            raise RuntimeError("StoreUsersService needs the TokenService for login links")
        claims = self.tokens.verify_login_link(token)
        found = await self.accounts.member_with_user(claims.workspace_id, claims.user_id)
        if found is None or found[1].deleted_at is not None:
            raise Unauthenticated("This login link's user is no longer a member of the store.", code="token_revoked")
        return StoreUser(*found)
