"""The GraphQL twin: classifyProduct (now), startProductClassification (a job) with its typed result on
productClassificationResult, and progress through jobProgress."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.conftest import LiveServer
from tests.content.classification.examples import SYNC_EXAMPLE, wait_job, written
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql, subscription

NODE = "code title"
CLASSIFICATION = f"""
  channel locale version confidence
  gpc {{ segment {{ {NODE} }} family {{ {NODE} }} class {{ {NODE} }} brick {{ {NODE} }} }}
  google {{ category {{ {NODE} }} path {{ {NODE} }} }}
  warnings {{ code description }}
"""
CLASSIFY = f"""
mutation ($input: ClassifyProductInput!) {{
  classifyProduct(input: $input) {{
    classification {{ {CLASSIFICATION} }}
    userErrors {{ field code message }}
  }}
}}
"""
START = """
mutation ($input: StartProductClassificationInput!) {
  startProductClassification(input: $input) {
    job { jobId kind status externalTrackingId callbackUrl }
    userErrors { field code message }
  }
}
"""
RESULT = f"""
query ($id: ID!) {{
  productClassificationResult(jobId: $id) {{ jobId status message classification {{ {CLASSIFICATION} }} }}
}}
"""
PROGRESS = """
subscription ($id: ID!) {
  jobProgress(id: $id) { type status progress message data }
}
"""
PRODUCT: dict[str, Any] = {
    "productName": SYNC_EXAMPLE["product_name"],
    "productDescription": SYNC_EXAMPLE["product_description"],
    "productAttributes": SYNC_EXAMPLE["product_attributes"],
}


async def test_classify_now_gpc(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    status, body = await gql(client, CLASSIFY, {"input": {"product": PRODUCT}}, workspace.api_key)
    assert status == 200, body
    payload = body["data"]["classifyProduct"]
    assert payload["userErrors"] == []
    found = payload["classification"]
    assert found["channel"] == "GPC" and found["locale"] == "en-GB" and found["google"] is None
    assert found["gpc"]["brick"] == {"code": 10000533, "title": "Cosmetics - Eye"}
    assert found["gpc"]["segment"]["code"] == 53000000 and found["gpc"]["class"]["code"] == 53161000


async def test_classify_now_google(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    variables = {"input": {"product": PRODUCT, "channel": "GOOGLE", "locale": "en-US"}}
    _, body = await gql(client, CLASSIFY, variables, workspace.api_key)
    found = body["data"]["classifyProduct"]["classification"]
    assert found["gpc"] is None and found["google"]["category"] == {"code": 2834, "title": "Mascara"}
    assert found["google"]["path"][0]["title"] == "Health & Beauty"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"productName": "x" * 129}, "product.productName"),
        ({"productDescription": "y" * 513}, "product.productDescription"),
        ({"productAttributes": []}, "product.productAttributes"),
        ({"productAttributes": [{"name": "a", "value": "b"}] * 17}, "product.productAttributes"),
    ],
)
async def test_bad_input_is_user_errors(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, services: AppServices, change: dict[str, Any], field: str
) -> None:
    product = {**PRODUCT, **change}
    _, body = await gql(client, CLASSIFY, {"input": {"product": product}}, workspace.api_key)
    payload = body["data"]["classifyProduct"]
    assert payload["classification"] is None
    assert [e["field"] for e in payload["userErrors"]] == [field]
    _, body = await gql(client, START, {"input": {"product": product}}, workspace.api_key)
    payload = body["data"]["startProductClassification"]
    assert payload["job"] is None and [e["field"] for e in payload["userErrors"]] == [field]
    _, body = await gql(client, START, {"input": {"product": PRODUCT, "locale": "fr-FR"}}, workspace.api_key)
    assert [e["field"] for e in body["data"]["startProductClassification"]["userErrors"]] == ["locale"]
    assert await written(services) == (0, 0)


async def test_unknown_channel_is_refused_by_the_schema(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    _, body = await gql(client, CLASSIFY, {"input": {"product": PRODUCT, "channel": "AMAZON"}}, workspace.api_key)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_job_and_its_typed_result(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    variables = {"input": {"product": PRODUCT, "channel": "GPC", "externalTrackingId": "ext-1"}}
    _, body = await gql(client, START, variables, workspace.api_key)
    job = body["data"]["startProductClassification"]["job"]
    assert job["kind"] == "content.analysis.product_classification" and job["externalTrackingId"] == "ext-1"
    await wait_job(client, workspace, job["jobId"])
    _, body = await gql(client, RESULT, {"id": job["jobId"]}, workspace.api_key)
    result = body["data"]["productClassificationResult"]
    assert result["status"] == "COMPLETED" and result["message"] == "The job has completed successfully."
    assert result["classification"]["gpc"]["brick"]["code"] == 10000533
    _, body = await gql(client, RESULT, {"id": job["jobId"]}, other_workspace.api_key)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.provider("openai")
async def test_classify_now_with_provider(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI, services: AppServices
) -> None:
    _, body = await gql(client, CLASSIFY, {"input": {"product": PRODUCT}}, workspace.api_key)
    found = body["data"]["classifyProduct"]["classification"]
    (call,) = fake_openai.requests
    assert call.schema is not None
    assert str(found["gpc"]["brick"]["code"]) == call.schema["properties"]["code"]["enum"][0]
    assert await written(services) == (0, 1)  # no job; the tokens in the ledger


@pytest.mark.provider("openai")
async def test_progress_through_job_progress(live_server: LiveServer, fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 1.0  # the job is waiting for the model while the subscription opens
    workspace = await make_workspace(live_server.services, name="Live")
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        _, body = await gql(client, START, {"input": {"product": PRODUCT}}, workspace.api_key)
        job_id = body["data"]["startProductClassification"]["job"]["jobId"]
        messages = await subscription(live_server.ws_url, PROGRESS, {"id": job_id}, workspace.headers())
        # The candidates event may come before the subscription opens (it is then part of the opening state),
        # so it is read from the job's full history.
        history = (await client.get(f"/v1/jobs/{job_id}/events", headers=workspace.headers())).json()
    events = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
    assert messages[-1]["type"] == "complete"
    assert events[0]["status"] in ("QUEUED", "PROCESSING") and events[-1]["status"] == "COMPLETED"
    items = history["data"]
    seen = [e for e in items if e.get("data") and "candidates" in e["data"]]
    assert seen and 10000533 in seen[0]["data"]["candidates"], items
