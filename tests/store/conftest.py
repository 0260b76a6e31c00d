"""Helpers for the store API tests: API keys with the document's permission choices."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"}


async def make_key(services: AppServices, ws: WorkspaceInfo, scopes: list[str]) -> str:
    async with services.unit_of_work() as uow:
        created = await services.accounts(uow.session).create_api_key(ws.principal, name="test key", scopes=scopes)
        return created.plaintext


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **UA}


@pytest.fixture
def h(workspace: WorkspaceInfo) -> dict[str, str]:
    return auth(workspace.api_key)


@pytest.fixture
def oh(other_workspace: WorkspaceInfo) -> dict[str, str]:
    return auth(other_workspace.api_key)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None
