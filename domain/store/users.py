"""The store's users: the workspace's members, managed through the store API. Services never commit."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.models import Membership, User
from domain.accounts.permissions import ROLES, permissions_for_role
from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.accounts.service import normalise_email
from domain.accounts.tokens import TokenService, hash_password
from domain.base import utcnow
from domain.errors import InvalidInput, NotFound, PermissionDenied, Unauthenticated
from domain.store.service import StoreService
from domain.store.validation import Errors, Field, validate

DEFAULT_ROLE = "viewer"

CREATE_FIELDS = [
    Field("password", "text", max_length=255),
    Field("first_name", "str", max_length=255),
    Field("last_name", "str", max_length=255),
    Field("newsletter", "bool", nullable=False),
]
UPDATE_FIELDS = [
    Field("first_name", "str", max_length=255),
    Field("last_name", "str", max_length=255),
    Field("email", "str", max_length=255, nullable=False),
    Field("newsletter", "bool", nullable=False),
]


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

    async def list_users(self, principal: Principal, page: int, per_page: int) -> tuple[list[StoreUser], int]:
        principal.require("store.users.read")
        rows, total = await self.accounts.members_page(principal.workspace_id, page, per_page)
        return [StoreUser(u, m) for u, m in rows], total

    async def get(self, principal: Principal, user_id: int) -> StoreUser:
        principal.require("store.users.read")
        found = await self.accounts.member_with_user(principal.workspace_id, user_id)
        if found is None:
            raise NotFound("The API resource was not found")
        return StoreUser(*found)

    async def create(self, principal: Principal, body: Mapping[str, Any]) -> StoreUser:
        """A known email returns the existing user (a deleted membership included, left as it is)."""
        principal.require("store.users.manage")
        errors = Errors()
        values = validate(dict(body), CREATE_FIELDS, errors, partial=False)
        email: str | None = None
        raw_email = body.get("email")
        if raw_email is None or (isinstance(raw_email, str) and not raw_email.strip()):
            errors.add("email", "The email field is required.")
        elif not isinstance(raw_email, str):
            errors.add("email", "The email field must be a string.")
        else:
            try:
                email = normalise_email(raw_email)
            except InvalidInput:
                errors.add("email", "The email field must be a valid email address of at most 255 characters.")
        roles = body.get("roles")
        role = DEFAULT_ROLE
        if roles is not None:
            if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
                errors.add("roles", f"The roles field must be a non-empty array of: {', '.join(ROLES)}.")
            else:
                role = _strongest(roles)
        errors.raise_if_any()
        assert email is not None
        user = await self.accounts.get_user_by_email(email)
        if user is not None:
            existing = await self.accounts.member_with_user(principal.workspace_id, user.id)
            if existing is not None:
                return StoreUser(*existing)
        self._check_grant(principal, role)
        if user is None:
            password = values.get("password") or secrets.token_urlsafe(24)
            user = User(
                email=email,
                first_name=values.get("first_name"),
                last_name=values.get("last_name"),
                password_hash=hash_password(password),
            )
            self.accounts.add(user)
            await self.accounts.flush()
        membership = Membership(
            workspace_id=principal.workspace_id, user_id=user.id, role=role, newsletter=values.get("newsletter", True)
        )
        self.accounts.add(membership)
        await self.accounts.flush()
        return StoreUser(user, membership, created=True)

    async def update(self, principal: Principal, user_id: int, body: Mapping[str, Any]) -> StoreUser:
        principal.require("store.users.manage")
        current = await self.get(principal, user_id)
        errors = Errors()
        values = validate(dict(body), UPDATE_FIELDS, errors, partial=True)
        if "email" in values:
            try:
                values["email"] = normalise_email(values["email"])
            except InvalidInput:
                errors.add("email", "The email field must be a valid email address of at most 255 characters.")
            else:
                other = await self.accounts.get_user_by_email(values["email"])
                if other is not None and other.id != current.user.id:
                    errors.add("email", "The email has already been taken.")
        errors.raise_if_any()
        personal = {k: v for k, v in values.items() if k in ("first_name", "last_name", "email")}
        changed = {k: v for k, v in personal.items() if getattr(current.user, k) != v}
        if changed and await self.accounts.count_other_memberships(principal.workspace_id, current.user.id):
            # A person's name and email are theirs across every store they belong to: one store may not
            # rewrite them for the others.
            raise PermissionDenied("This user also belongs to another store; only they can change their details.")
        for name, value in changed.items():
            setattr(current.user, name, value)
        if changed:
            current.user.updated_at = utcnow()
        if "newsletter" in values:
            current.membership.newsletter = values["newsletter"]
        await self.accounts.flush()
        return current

    async def login_link(self, principal: Principal, email: Any, *, fallback_url: str) -> str:
        """The magic link URL for an active member: under the store's url setting, else ``fallback_url``."""
        _member, token = await self.login_token(principal, email)
        settings = await StoreService(self.session).all_settings_unchecked(principal.workspace_id)
        base = (settings.get("store_url") or fallback_url).rstrip("/")
        return f"{base}/magiclink/{token}"

    async def login_token(self, principal: Principal, email: Any) -> tuple[StoreUser, str]:
        """A signed token for an active member."""
        principal.require("store.users.manage")
        if self.tokens is None:
            raise RuntimeError("StoreUsersService needs the TokenService for login links")
        if not isinstance(email, str) or not email.strip():
            raise InvalidInput.field("email", "The email field is required.")
        user = await self.accounts.get_user_by_email(email.strip().lower())
        found = await self.accounts.member_with_user(principal.workspace_id, user.id) if user else None
        if found is None or found[1].deleted_at is not None:
            raise InvalidInput.field("email", "The selected email is invalid.")
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
