"""Every example request of the document's classification section is accepted as it stands and yields the
documented shape, offline and against the OpenAI-compatible test server."""

from __future__ import annotations

import httpx
import pytest

from domain.content.classification.taxonomy import load
from resolvers.context import AppServices
from tests.content.classification.examples import (
    EYE_COSMETICS,
    JOB_EXAMPLE,
    SYNC,
    SYNC_EXAMPLE,
    assert_gpc_shape,
    classify_job,
    written,
)
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI


async def test_sync_example_offline(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    response = await client.post(SYNC, json=SYNC_EXAMPLE, headers=workspace.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert_gpc_shape(body)
    # the document's own answer for its example: Beauty/Personal Care/Hygiene > ... > Cosmetics - Eye
    assert body["brick"]["code"] == EYE_COSMETICS
    assert body["segment"] == {"code": 53000000, "title": "Beauty/Personal Care/Hygiene"}
    assert body["family"]["code"] == 53160000 and body["class"]["code"] == 53161000
    assert list(body)[4:] == ["channel", "locale", "version", "confidence", "warnings"]
    assert body["channel"] == "gpc" and body["locale"] == "en-GB" and body["version"] == "2020-06-01"
    assert 0 < body["confidence"] <= 1 and body["warnings"] == []


@pytest.mark.provider("openai")
async def test_sync_example_with_provider(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI, services: AppServices
) -> None:
    response = await client.post(SYNC, json=SYNC_EXAMPLE, headers=workspace.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert_gpc_shape(body)
    (call,) = fake_openai.requests
    assert call.schema is not None
    offered = call.schema["properties"]["code"]["enum"]
    assert 1 <= len(offered) <= 10 and str(EYE_COSMETICS) in offered
    assert all(load("gpc")[int(code)].level == "brick" for code in offered)
    assert str(body["brick"]["code"]) in offered  # the test server picks the first candidate
    assert "Lash Paradise" in call.user and "Cosmetics - Eye" in call.user
    _, usage = await written(services)
    assert usage == 1  # the call's tokens are in the workspace's ledger


async def test_job_example_offline(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    _, body = await classify_job(client, workspace, JOB_EXAMPLE)
    assert body["status"] == "completed", body
    result = body["result"]
    assert list(result) == ["classification", "channel", "locale", "version", "confidence", "warnings"]
    assert_gpc_shape(result["classification"])
    assert result["classification"]["brick"]["code"] == EYE_COSMETICS
    assert result["channel"] == "gpc" and result["locale"] == "en-GB" and result["version"] == "2020-06-01"
    assert isinstance(result["confidence"], float) and 0 < result["confidence"] <= 1


@pytest.mark.provider("openai")
async def test_job_example_with_provider(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    _, body = await classify_job(client, workspace, JOB_EXAMPLE)
    assert body["status"] == "completed", body
    result = body["result"]
    assert_gpc_shape(result["classification"])
    (call,) = fake_openai.requests
    assert call.schema is not None
    assert str(result["classification"]["brick"]["code"]) == call.schema["properties"]["code"]["enum"][0]
    assert result["warnings"] == []
