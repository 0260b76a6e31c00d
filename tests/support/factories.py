"""Plain async factories."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from domain.accounts.principal import Principal
from domain.accounts.service import AccountsService
from domain.db import NullDispatcher
from domain.jobs.registry import JobKind
from domain.jobs.service import JobService
from resolvers.context import AppServices
from tests.support import jobkinds


@dataclass
class WorkspaceInfo:
    workspace_id: str
    owner_user_id: int
    api_key: str
    access_token: str
    principal: Principal

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.api_key}"}


async def make_workspace(
    services: AppServices, name: str = "Acme", email: str | None = None, plan: str = "free", credits: int = 0
) -> WorkspaceInfo:
    email = email or f"owner-{uuid.uuid4().hex[:8]}@example.com"
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        service = AccountsService(uow.session, services.tokens, token_ttl_seconds=3600, plans=services.plans)
        created = await service.create_workspace(name=name, owner_email=email, plan=plan, credits=credits)
    async with services.read() as session:
        principal = await services.accounts(session).authenticate(created.api_key.plaintext)
    return WorkspaceInfo(
        workspace_id=created.workspace.id,
        owner_user_id=created.owner.id,
        api_key=created.api_key.plaintext,
        access_token=created.access_token,
        principal=principal,
    )


async def add_member(services: AppServices, ws: WorkspaceInfo, email: str, role: str) -> str:
    """Adds a member and returns an access token for them."""
    async with services.unit_of_work() as uow:
        accounts = services.accounts(uow.session)
        membership = await accounts.add_member(ws.principal, email=email, role=role)
        return accounts.issue_access_token(membership)


async def create_job(
    services: AppServices,
    ws: WorkspaceInfo,
    kind: JobKind[Any] = jobkinds.STEPS,
    params: BaseModel | dict[str, Any] | None = None,
    **kwargs: Any,
) -> str:
    """Creates (and, once committed, enqueues) a job the way a feature's mutation would."""
    async with services.unit_of_work() as uow:
        job = await JobService(uow).create(ws.principal, kind=kind, params=params or {}, **kwargs)
        return job.id
