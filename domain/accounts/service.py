"""Rules for workspaces, members and credentials (credits: ``domain.accounts.credits``). Services never commit."""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.credits import MAX_GRANT, CreditsService
from domain.accounts.models import ApiKey, Membership, User, Workspace
from domain.accounts.permissions import (
    ROLES,
    permissions_for_role,
    permissions_for_scopes,
    validate_scopes,
)
from domain.accounts.plans import Plans
from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.accounts.tokens import (
    API_KEY_PREFIX,
    LEGACY_ACCESS_PREFIX,
    TokenService,
    generate_api_key,
    hash_api_key,
    hash_password,
)
from domain.base import utcnow
from domain.errors import InvalidInput, NotFound, Unauthenticated

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEBHOOK_SECRET_PREFIX = "whsec_"
MAX_KEEP_PREVIOUS_HOURS = 168
MAX_KEY_RATE_LIMIT = 100_000  # requests a minute an API key may be given (0: unlimited)


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and the base64 of 32 random bytes."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_signing_secrets(workspace: Workspace, now: datetime) -> list[str]:
    """What a callback sent ``now`` is signed with: the current secret, and the previous one while a
    rotation's grace period lasts."""
    found = [workspace.webhook_secret]
    until = workspace.webhook_secret_previous_until
    if workspace.webhook_secret_previous and until is not None and now < until:
        found.append(workspace.webhook_secret_previous)
    return found


@dataclass(frozen=True)
class CreatedApiKey:
    key: ApiKey
    plaintext: str


@dataclass(frozen=True)
class CreatedWorkspace:
    workspace: Workspace
    owner: User
    api_key: CreatedApiKey
    access_token: str


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if not EMAIL_RE.match(value) or len(value) > 255:
        raise InvalidInput.field("email", "The email must be a valid email address of at most 255 characters.")
    return value


def _credential_kind(token: str) -> str | None:
    """What a (stripped) bearer token looks like: ``api_key``, ``access_token``, or None for neither."""
    if token.startswith(API_KEY_PREFIX):
        return "api_key"
    if token.count(".") == 2 or token.startswith(LEGACY_ACCESS_PREFIX):
        return "access_token"
    return None


K = TypeVar("K", ApiKey, Row[Any])  # a key: the model, or its columns as a plain row


def _live_key(key: K | None, now: datetime) -> K:
    """``key`` when it authenticates at ``now``; ``Unauthenticated`` when unknown, revoked or expired."""
    if key is None:
        raise Unauthenticated("Invalid API key.", code="invalid_token")
    if key.revoked_at is not None:
        raise Unauthenticated("This API key has been revoked.", code="token_revoked")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthenticated("This API key has expired.", code="token_expired")
    return key


def _key_principal(key: ApiKey | Row[Any]) -> Principal:
    return Principal(
        workspace_id=key.workspace_id,
        permissions=permissions_for_scopes(key.scopes),
        api_key_id=key.id,
        user_id=key.created_by_user_id,
        scopes=tuple(key.scopes),
        rate_limit_per_minute=key.rate_limit_per_minute,
    )


def _member_principal(membership: Membership) -> Principal:
    return Principal(
        workspace_id=membership.workspace_id,
        permissions=permissions_for_role(membership.role),
        user_id=membership.user_id,
        role=membership.role,
    )


class AccountsService:
    def __init__(
        self,
        session: AsyncSession,
        tokens: TokenService,
        *,
        token_ttl_seconds: int,
        plans: Mapping[str, int] | None = None,
    ) -> None:
        self.repo = AccountsRepository(session)
        self.tokens = tokens
        self.token_ttl_seconds = token_ttl_seconds
        self.plans = Plans.of(plans) or Plans()

    # --- authentication -------------------------------------------------------------------------

    async def authenticate(self, token: str) -> Principal:
        token = token.strip()
        kind = _credential_kind(token)
        if kind == "api_key":
            key = await self.repo.get_api_key_by_hash(hash_api_key(token))
            return _key_principal(_live_key(key, utcnow()))
        if kind == "access_token":
            claims = self.tokens.verify_access_token(token)
            membership = await self.repo.get_membership(claims.workspace_id, claims.user_id)
            if membership is None:
                raise Unauthenticated("This access token's membership no longer exists.", code="token_revoked")
            return _member_principal(membership)
        raise Unauthenticated("Unrecognised credentials.", code="invalid_token")

    async def recheck(self, tokens: Collection[str]) -> dict[str, Principal | None]:
        """The caller each token names now, or None where it no longer authenticates (a key revoked or
        expired, an access token that no longer verifies or has expired, a membership removed). One statement
        for the keys and one for the memberships, whatever the number of tokens (up to a thousand of each:
        ``IN_BATCH``)."""
        now = utcnow()
        found: dict[str, Principal | None] = dict.fromkeys(tokens)
        keys: dict[str, str] = {}  # token -> its hash
        members: dict[str, tuple[str, int]] = {}  # token -> (workspace id, user id)
        for token in found:
            clean = token.strip()
            kind = _credential_kind(clean)
            if kind == "api_key":
                keys[token] = hash_api_key(clean)
            elif kind == "access_token":
                try:
                    claims = self.tokens.verify_access_token(clean)
                except Unauthenticated:
                    continue
                members[token] = (claims.workspace_id, claims.user_id)
        if keys:
            rows = await self.repo.api_keys_by_hashes(keys.values())
            for token, key_hash in keys.items():
                try:
                    found[token] = _key_principal(_live_key(rows.get(key_hash), now))
                except Unauthenticated:
                    continue
        if members:
            memberships = await self.repo.live_memberships(members.values())
            for token, pair in members.items():
                membership = memberships.get(pair)
                if membership is not None:
                    found[token] = _member_principal(membership)
        return found

    # --- workspaces and members -----------------------------------------------------------------

    async def create_workspace(
        self, *, name: str, owner_email: str, plan: str = "free", credits: int = 0
    ) -> CreatedWorkspace:
        name = name.strip()
        if not name or len(name) > 255:
            raise InvalidInput.field("name", "The workspace name must be 1 to 255 characters.")
        self.plans.check(plan)
        if credits < 0:
            raise InvalidInput.field("credits", "Credits cannot be negative.")
        if credits > MAX_GRANT:
            raise InvalidInput.field("credits", f"At most {MAX_GRANT} credits can be granted at once.")
        email = normalise_email(owner_email)
        workspace = Workspace(name=name, plan=plan, webhook_secret=new_webhook_secret())
        self.repo.add(workspace)
        user = await self.repo.get_user_by_email(email)
        if user is None:
            user = User(email=email)
            self.repo.add(user)
        await self.repo.flush()
        membership = Membership(workspace_id=workspace.id, user_id=user.id, role="owner")
        await self.repo.insert(membership)
        await CreditsService(self.repo.session, self.plans).open(workspace, topup=credits)
        owner = _member_principal(membership)
        api_key = await self.create_api_key(owner, name="Default key", scopes=["full"])
        token = self.tokens.issue_access_token(user.id, workspace.id, self.token_ttl_seconds)
        return CreatedWorkspace(workspace=workspace, owner=user, api_key=api_key, access_token=token)

    async def get_workspace(self, principal: Principal) -> Workspace:
        workspace = await self.repo.get_workspace(principal.workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.")
        return workspace

    async def webhook_secret(self, principal: Principal) -> str:
        """The secret that signs the workspace's job callbacks (whoever may manage its keys may read it)."""
        principal.require("workspace.keys.manage")
        return (await self.get_workspace(principal)).webhook_secret

    async def rotate_webhook_secret(self, principal: Principal, *, keep_previous_hours: int = 24) -> Workspace:
        """A new callback secret, in force at once; the old one keeps signing too (a second signature) for
        ``keep_previous_hours`` (0: stops at once, for a leaked secret)."""
        principal.require("workspace.keys.manage")
        if not 0 <= keep_previous_hours <= MAX_KEEP_PREVIOUS_HOURS:
            raise InvalidInput.field(
                "keep_previous_hours",
                f"Keep the previous secret for 0 to {MAX_KEEP_PREVIOUS_HOURS} hours.",
                rule="between",
                params={"min": 0, "max": MAX_KEEP_PREVIOUS_HOURS},
            )
        workspace = await self.repo.get_workspace_for_update(principal.workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.")
        if keep_previous_hours:
            workspace.webhook_secret_previous = workspace.webhook_secret
            workspace.webhook_secret_previous_until = utcnow() + timedelta(hours=keep_previous_hours)
        else:
            workspace.webhook_secret_previous = None
            workspace.webhook_secret_previous_until = None
        workspace.webhook_secret = new_webhook_secret()
        await self.repo.flush()
        return workspace

    async def add_member(
        self,
        principal: Principal,
        *,
        email: str,
        role: str,
        password: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Membership:
        principal.require("workspace.members.manage")
        if role not in ROLES:
            raise InvalidInput.field("role", f"Unknown role '{role}'. Use one of: {', '.join(ROLES)}.")
        if role == "owner" and principal.role != "owner":
            raise InvalidInput.field("role", "Only an owner can add another owner.")
        email = normalise_email(email)
        user = await self.repo.get_user_by_email(email)
        if user is None:
            user = User(
                email=email,
                first_name=first_name,
                last_name=last_name,
                password_hash=await hash_password(password or secrets.token_urlsafe(18)),
            )
            await self.repo.insert(user)
        membership = await self.repo.get_membership(principal.workspace_id, user.id, include_deleted=True)
        if membership is None:
            membership = Membership(workspace_id=principal.workspace_id, user_id=user.id, role=role)
            self.repo.add(membership)
        else:
            membership.role = role
            membership.deleted_at = None
        await self.repo.flush()
        return membership

    def issue_access_token(self, membership: Membership) -> str:
        return self.tokens.issue_access_token(membership.user_id, membership.workspace_id, self.token_ttl_seconds)

    async def refresh_access_token(self, principal: Principal) -> str:
        if principal.api_key_id is not None or principal.user_id is None:
            raise InvalidInput("Access tokens are issued to members; an API key cannot request one.")
        membership = await self.repo.get_membership(principal.workspace_id, principal.user_id)
        if membership is None:
            raise Unauthenticated("This membership no longer exists.", code="token_revoked")
        return self.issue_access_token(membership)

    # --- API keys -------------------------------------------------------------------------------

    async def create_api_key(
        self,
        principal: Principal,
        *,
        name: str,
        scopes: list[str],
        expires_at: datetime | None = None,
        rate_limit_per_minute: int | None = None,
    ) -> CreatedApiKey:
        """A new key. ``rate_limit_per_minute``: its own requests a minute in every rate-limited route group,
        instead of the group's limit (0: unlimited), for a trusted integration; None keeps the groups' limits."""
        principal.require("workspace.keys.manage")
        name = name.strip()
        if not name or len(name) > 255:
            raise InvalidInput.field("name", "The key name must be 1 to 255 characters.")
        clean = validate_scopes(scopes)
        if not permissions_for_scopes(clean) <= principal.permissions:
            raise InvalidInput.field("scopes", "A key cannot grant more than its creator holds.")
        if expires_at is not None:
            if expires_at.tzinfo is None:
                raise InvalidInput.field("expiresAt", "The expiry must carry a timezone.")
            if expires_at <= utcnow():
                raise InvalidInput.field("expiresAt", "The expiry must be in the future.")
        if rate_limit_per_minute is not None and not 0 <= rate_limit_per_minute <= MAX_KEY_RATE_LIMIT:
            raise InvalidInput.field(
                "rateLimitPerMinute",
                f"The rate limit must be 0 (unlimited) to {MAX_KEY_RATE_LIMIT} requests a minute.",
                rule="between",
                params={"min": 0, "max": MAX_KEY_RATE_LIMIT},
            )
        new = generate_api_key()
        key = ApiKey(
            workspace_id=principal.workspace_id,
            name=name,
            prefix=new.prefix,
            key_hash=new.key_hash,
            scopes=clean,
            created_by_user_id=principal.user_id,
            expires_at=expires_at,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        await self.repo.insert(key)
        return CreatedApiKey(key=key, plaintext=new.plaintext)

    async def list_api_keys(self, principal: Principal) -> list[ApiKey]:
        principal.require("workspace.keys.read")
        return list(await self.repo.list_api_keys(principal.workspace_id))

    async def revoke_api_key(self, principal: Principal, key_id: str) -> ApiKey:
        principal.require("workspace.keys.manage")
        key = await self.repo.get_api_key(principal.workspace_id, key_id)
        if key is None:
            raise NotFound("API key not found.")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            await self.repo.flush()
        return key
