"""``/metrics``: requests by route template and status, latency, jobs, queue depth, AI provider calls; and its
protection by settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from prometheus_client import REGISTRY

from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.ops.support import client_for, scrape, value
from tests.support.factories import WorkspaceInfo, create_job, make_workspace
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import wait_for
from workers.runner import RQQueue

REQUESTS = "shopwright_http_requests_total"


async def test_requests_are_counted_by_route_template_and_status(
    client: httpx.AsyncClient, workspace: WorkspaceInfo
) -> None:
    missing_job = str(uuid.uuid4())
    before = await scrape(client)  # the app serves other tests of the session too: count what this one adds

    def added(name: str, **labels: str) -> float:
        return (value(samples, name, **labels) or 0) - (value(before, name, **labels) or 0)

    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get(f"/v1/jobs/{missing_job}", headers=workspace.headers())).status_code == 404
    assert (await client.get(f"/no/such/path/{missing_job}")).status_code == 404
    assert (await client.post("/graphql", json={"query": "{ __typename }"})).status_code == 200
    assert (await client.get("/api/openapi.json")).status_code == 200

    samples = await scrape(client)

    assert added(REQUESTS, method="GET", route="/healthz", status="200") == 1
    assert added(REQUESTS, method="GET", route="/v1/jobs/{job_id}", status="404") == 1
    assert added(REQUESTS, method="GET", route="unmatched", status="404") == 1
    assert added(REQUESTS, method="POST", route="/graphql", status="200") == 1
    assert added(REQUESTS, method="GET", route="/api/openapi.json", status="200") == 1
    count = "shopwright_http_request_duration_seconds_count"
    assert added(count, method="GET", route="/healthz") == 1
    assert added("shopwright_http_request_duration_seconds_bucket", route="/healthz", le="+Inf") == 1
    # Raw paths never become labels: the number of series stays bounded whatever clients ask for.
    routes = {s.labels["route"] for s in samples if "route" in s.labels}
    assert not any(missing_job in route for route in routes), routes


async def test_a_method_nobody_uses_is_counted_as_other(client: httpx.AsyncClient) -> None:
    labels = {"method": "other", "route": "/healthz", "status": "405"}
    before = value(await scrape(client), REQUESTS, **labels) or 0
    await client.request("BREW", "/healthz")
    assert value(await scrape(client), REQUESTS, **labels) == before + 1


async def test_jobs_are_counted_by_kind_and_status(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    job_id = await create_job(services, workspace, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    samples = await scrape(client)
    assert value(samples, "shopwright_jobs", kind="test.steps", status="completed") == 1
    assert value(samples, "shopwright_jobs", kind="test.steps", status="queued") is None
    assert value(samples, "shopwright_job_queue_depth") == 0


async def test_queue_depth_counts_jobs_waiting_for_a_slot(settings_factory: Callable[..., Settings]) -> None:
    async with client_for(settings_factory(job_concurrency=1)) as (client, services):
        workspace = await make_workspace(services)
        jobs = [await create_job(services, workspace, params={"steps": 2, "delay": 0.2}) for _ in range(3)]
        await wait_for(services, jobs[0], {"processing"})
        assert value(await scrape(client), "shopwright_job_queue_depth") == 2
        for job_id in jobs:
            await wait_for(services, job_id, {"completed"})
        assert value(await scrape(client), "shopwright_job_queue_depth") == 0


@pytest.mark.redis
async def test_rq_queue_depth_is_the_queue_length(redis_url: str) -> None:
    queue = RQQueue(redis_url, f"shopwright-test-{uuid.uuid4().hex[:8]}")
    try:
        assert await queue.depth() == 0
        await queue.enqueue(str(uuid.uuid4()))
        await queue.enqueue_delivery(1)
        assert await queue.depth() == 2
    finally:
        queue.queue.delete(delete_jobs=True)
        await queue.close()


async def test_ai_provider_calls_and_tokens_are_counted_by_model_and_outcome(
    settings_factory: Callable[..., Settings], fake_openai: FakeOpenAI
) -> None:
    schema = {
        "type": "object",
        "properties": {"title": {"type": "string"}},
        "required": ["title"],
        "additionalProperties": False,
    }
    async with client_for(settings_factory(**fake_openai.settings(llm_model="test-model"))) as (client, services):
        fake_openai.fail(500, times=1)
        result = await services.providers.require_text().generate_json(
            system="You write titles.", user="Product: Lamp", schema=schema, schema_name="title"
        )
        samples = await scrape(client)

    calls = "shopwright_ai_provider_calls_total"
    assert value(samples, calls, provider="openai", model="test-model", outcome="server_error") == 1
    assert value(samples, calls, provider="openai", model="test-model", outcome="ok") == 1
    tokens = "shopwright_ai_provider_tokens_total"
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    assert value(samples, tokens, model="test-model", type="prompt") == result.usage.prompt_tokens
    assert value(samples, tokens, model="test-model", type="completion") == result.usage.completion_tokens


async def test_each_app_has_its_own_registry(settings_factory: Callable[..., Settings]) -> None:
    async with client_for(settings_factory()) as (first, _), client_for(settings_factory()) as (second, _):
        await first.get("/healthz")
        await first.get("/healthz")
        await second.get("/healthz")
        assert value(await scrape(first), REQUESTS, route="/healthz") == 2
        assert value(await scrape(second), REQUESTS, route="/healthz") == 1
    # Nothing went to the process-wide default registry.
    assert not [m.name for m in REGISTRY.collect() if m.name.startswith("shopwright")]


async def test_metrics_can_be_switched_off(settings_factory: Callable[..., Settings]) -> None:
    async with client_for(settings_factory(metrics_enabled=False)) as (client, _):
        response = await client.get("/metrics")
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "No such path."}


async def test_metrics_token_is_required_when_configured(settings_factory: Callable[..., Settings]) -> None:
    async with client_for(settings_factory(metrics_token="scrape-secret")) as (client, _):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "scrape-secret"}):
            response = await client.get("/metrics", headers=headers)
            assert response.status_code == 401, headers
            assert response.json()["code"] == "unauthenticated"
            assert response.headers["www-authenticate"].startswith("Bearer")
        samples = await scrape(client, headers={"Authorization": "Bearer scrape-secret"})
        assert value(samples, REQUESTS, route="/metrics", status="401") == 3
