"""Viewer, workspace, members and API keys."""

from __future__ import annotations

from datetime import datetime

from domain.accounts.models import ApiKey, Membership, User, Workspace
from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.accounts.service import CreatedApiKey
from resolvers.context import AppServices


async def get_workspace(services: AppServices, principal: Principal) -> Workspace:
    async with services.read() as session:
        return await services.accounts(session).get_workspace(principal)


async def get_user(services: AppServices, user_id: int) -> User | None:
    async with services.read() as session:
        return await AccountsRepository(session).get_user(user_id)


async def list_members(services: AppServices, principal: Principal) -> list[Membership]:
    principal.require("workspace.members.read")
    async with services.read() as session:
        return list(await AccountsRepository(session).list_memberships(principal.workspace_id))


async def users_by_ids(services: AppServices, ids: list[int]) -> list[User | None]:
    async with services.read() as session:
        found = await AccountsRepository(session).users_by_ids(ids)
    return [found.get(i) for i in ids]


async def list_api_keys(services: AppServices, principal: Principal) -> list[ApiKey]:
    async with services.read() as session:
        return await services.accounts(session).list_api_keys(principal)


async def create_api_key(
    services: AppServices, principal: Principal, *, name: str, scopes: list[str], expires_at: datetime | None
) -> CreatedApiKey:
    async with services.unit_of_work() as uow:
        return await services.accounts(uow.session).create_api_key(
            principal, name=name, scopes=scopes, expires_at=expires_at
        )


async def revoke_api_key(services: AppServices, principal: Principal, key_id: str) -> ApiKey:
    async with services.unit_of_work() as uow:
        return await services.accounts(uow.session).revoke_api_key(principal, key_id)


async def add_member(services: AppServices, principal: Principal, *, email: str, role: str) -> Membership:
    async with services.unit_of_work() as uow:
        return await services.accounts(uow.session).add_member(principal, email=email, role=role)


async def refresh_access_token(services: AppServices, principal: Principal) -> str:
    """A fresh access token for the calling member (API keys have no member to issue one for)."""
    async with services.read() as session:
        return await services.accounts(session).refresh_access_token(principal)
