"""The client's job list: every content-service job kind of the workspace, newest first, with a signed page
token that cannot be forged, altered or carried to another workspace."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from domain.content.merge import CONFIG_MERGE, MergeJobParams
from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.content.operations.helpers import JOB_LIST, row_counts
from tests.support.factories import WorkspaceInfo, create_job
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobkinds import STEPS


async def make_jobs(services: AppServices, ws: WorkspaceInfo, count: int) -> list[str]:
    """``count`` content jobs (merge jobs), created one second apart, oldest first, except the last two, which
    share a creation time (the id breaks the tie)."""
    ids = [await create_job(services, ws, CONFIG_MERGE, MergeJobParams(sources=[])) for _ in range(count)]
    base = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    async with services.unit_of_work() as uow:
        for i, job_id in enumerate(ids):
            when = base + timedelta(seconds=min(i, count - 2))
            await uow.session.execute(update(Job).where(Job.id == job_id).values(created_at=when))
    return ids


async def all_pages(client: httpx.AsyncClient, ws: WorkspaceInfo) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        response = await client.get(JOB_LIST, params={"page_token": token} if token else {}, headers=ws.headers())
        assert response.status_code == 200, response.text
        body = response.json()
        assert list(body) == ["items", "next_page_token"]
        items += body["items"]
        token = body["next_page_token"]
        if token is None:
            return items


async def test_the_documented_request_and_shape(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    await make_jobs(services, workspace, 2)
    response = await client.get(JOB_LIST, headers=workspace.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["next_page_token"] is None and len(body["items"]) == 2
    item = body["items"][0]
    assert list(item) == ["job_id", "job_creation_date", "status"]
    assert item["status"] in ("queued", "processing", "completed")
    assert item["job_creation_date"] == "2024-01-01T12:00:00"  # as the document writes it


@pytest.mark.provider("openai")
async def test_the_documented_request_with_a_provider_configured(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    await make_jobs(services, workspace, 1)
    response = await client.get(JOB_LIST, params={"page_token": ""}, headers=workspace.headers())
    assert response.status_code == 200 and len(response.json()["items"]) == 1


async def test_every_content_job_newest_first_across_pages(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    ids = await make_jobs(services, workspace, 53)
    await make_jobs(services, other_workspace, 2)
    await create_job(services, workspace, STEPS, {"steps": 1})  # another kind: not a content-service job
    first = await client.get(JOB_LIST, headers=workspace.headers())
    assert len(first.json()["items"]) == 50 and first.json()["next_page_token"]
    listed = await all_pages(client, workspace)
    expected = sorted(ids[-2:], reverse=True) + list(reversed(ids[:-2]))
    assert [i["job_id"] for i in listed] == expected
    assert len({i["job_id"] for i in listed}) == 53


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["job"] = "00000000-0000-0000-0000-000000000000"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


async def test_forged_altered_and_foreign_tokens_are_refused(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    await make_jobs(services, workspace, 52)
    await make_jobs(services, other_workspace, 52)
    token = (await client.get(JOB_LIST, headers=workspace.headers())).json()["next_page_token"]
    foreign = (await client.get(JOB_LIST, headers=other_workspace.headers())).json()["next_page_token"]
    before = await row_counts(services)
    bad_tokens = [
        tampered(token),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        foreign,
        "not-a-token",
        base64.urlsafe_b64encode(b'{"job_id": "x"}').decode(),
        services.tokens.issue_access_token(workspace.owner_user_id, workspace.workspace_id, 60),
    ]
    for bad in bad_tokens:
        response = await client.get(JOB_LIST, params={"page_token": bad}, headers=workspace.headers())
        assert response.status_code == 400, (bad, response.text)
        body = response.json()
        assert body["code"] == "bad_request" and body["message"] and "page_token" in body["errors"]
    assert await row_counts(services) == before
    ok = await client.get(JOB_LIST, params={"page_token": token}, headers=workspace.headers())
    assert ok.status_code == 200 and len(ok.json()["items"]) == 2


async def test_graphql_content_jobs_connection(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    ids = await make_jobs(services, workspace, 3)
    query = """query($after: String, $kinds: [String!]) { contentJobs(first: 2, after: $after, kinds: $kinds) {
        totalCount edges { node { jobId kind } } pageInfo { hasNextPage endCursor } } }"""
    first = await client.post("/graphql", json={"query": query}, headers=workspace.headers())
    page = first.json()["data"]["contentJobs"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    after = page["pageInfo"]["endCursor"]
    second = await client.post(
        "/graphql",
        json={"query": query, "variables": {"after": after, "kinds": ["content.config_merge"]}},
        headers=workspace.headers(),
    )
    rest = second.json()["data"]["contentJobs"]
    seen = [e["node"]["jobId"] for e in page["edges"] + rest["edges"]]
    assert sorted(seen) == sorted(ids) and not rest["pageInfo"]["hasNextPage"]
    none = await client.post(
        "/graphql", json={"query": query, "variables": {"kinds": ["content.generation"]}}, headers=workspace.headers()
    )
    assert none.json()["data"]["contentJobs"]["totalCount"] == 0
    wrong = await client.post(
        "/graphql", json={"query": query, "variables": {"kinds": ["echo"]}}, headers=workspace.headers()
    )
    assert wrong.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    forged = await client.post(
        "/graphql", json={"query": query, "variables": {"after": tampered(after)}}, headers=workspace.headers()
    )
    assert forged.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_generation_and_merge_jobs_are_both_listed(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    generation = await client.post("/brandbrain/content-generation/jobs", json=example, headers=workspace.headers())
    merge = await client.post(
        "/brandbrain/content-configs/merge/jobs", json={"content_config": [{}, {}]}, headers=workspace.headers()
    )
    listed = await all_pages(client, workspace)
    assert [i["job_id"] for i in listed] == [merge.json()["job_id"], generation.json()["job_id"]]
