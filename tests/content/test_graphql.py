"""The GraphQL side: generateContent, the typed result, configurations and feedback."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from resolvers.context import AppServices
from tests.content.helpers import counts
from tests.support.factories import WorkspaceInfo
from tests.support.graphql import gql

GENERATE = """
mutation ($input: GenerateContentInput!) {
  generateContent(input: $input) { job { id jobId kind status externalTrackingId } userErrors { field code message } }
}
"""
RESULT = """
query ($id: ID!) {
  contentGenerationResult(jobId: $id) {
    jobId status message usedConfig
    products { productId product content { contentType text items } warnings { contentType code description } }
  }
}
"""


def generate_input(example: dict[str, Any]) -> dict[str, Any]:
    return {
        "products": example["products"],
        "contentGenerationParams": example["content_generation_params"],
        "externalTrackingId": example["external_tracking_id"],
    }


async def wait_result(client: httpx.AsyncClient, ws: WorkspaceInfo, job_id: str) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            status, body = await gql(client, RESULT, {"id": job_id}, ws.api_key)
            assert status == 200 and "errors" not in body, body
            result: dict[str, Any] = body["data"]["contentGenerationResult"]
            if result["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
                return result
            assert result["products"] == []  # nothing before completion
            await asyncio.sleep(0.05)


async def test_generate_content_and_typed_result(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    _, body = await gql(client, GENERATE, {"input": generate_input(example)}, workspace.api_key)
    payload = body["data"]["generateContent"]
    assert payload["userErrors"] == []
    job = payload["job"]
    assert job["kind"] == "content.generation" and job["externalTrackingId"] == example["external_tracking_id"]

    result = await wait_result(client, workspace, job["id"])  # the global id works ...
    assert result["status"] == "COMPLETED" and result["jobId"] == job["jobId"]
    [product] = result["products"]
    assert product["productId"] == "1234567890001"
    assert product["product"]["product_name"] == "QuantumTech Gadget"
    by_type = {c["contentType"]: c for c in product["content"]}
    assert set(by_type) == {"title", "bullets", "desc"}
    assert by_type["title"]["text"] and by_type["title"]["items"] is None
    assert by_type["bullets"]["items"] and by_type["bullets"]["text"] is None
    assert product["warnings"][0]["code"] == "ADDITION_INCOMPLETE"
    assert result["usedConfig"]["word_map"] == {" - ": ", ", "Not Applicable": ""}

    again = await wait_result(client, workspace, job["jobId"])  # ... and so does the raw one
    assert again == result


async def test_generate_content_user_errors_write_nothing(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    before = await counts(services)
    bad = generate_input(example)
    bad["productIds"] = ["1"]
    _, body = await gql(client, GENERATE, {"input": bad}, workspace.api_key)
    payload = body["data"]["generateContent"]
    assert payload["job"] is None
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT" and payload["userErrors"][0]["field"] is None
    assert "products or product_ids" in payload["userErrors"][0]["message"]
    assert await counts(services) == before

    _, body = await gql(client, RESULT, {"id": "00000000-0000-0000-0000-000000000000"}, workspace.api_key)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


CONFIG_FIELDS = "contentConfig { id configId name description scope contentConfig } userErrors { field code message }"


async def test_config_mutations_and_query(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    token = workspace.api_key
    create = f"mutation ($input: ContentConfigInput!) {{ createContentConfig(input: $input) {{ {CONFIG_FIELDS} }} }}"
    _, body = await gql(
        client,
        create,
        {"input": {"name": "laptops", "description": "For laptops.", "contentConfig": {"word_map": {"Foo": "Bar"}}}},
        token,
    )
    created = body["data"]["createContentConfig"]["contentConfig"]
    assert created["scope"] == "PRIVATE" and created["contentConfig"] == {"word_map": {"Foo": "Bar"}}

    before = await counts(services)
    _, body = await gql(client, create, {"input": {"name": "Bad Name", "contentConfig": {}}}, token)
    assert body["data"]["createContentConfig"]["userErrors"][0]["field"] == "name"
    bad_config = {"name": "other", "contentConfig": {"content_types": {"title": {"character_limit": -1}}}}
    _, body = await gql(client, create, {"input": bad_config}, token)
    errors = body["data"]["createContentConfig"]["userErrors"]
    assert errors[0]["field"] == "content_config.content_types.title.character_limit"
    assert await counts(services) == before

    update = (
        "mutation ($id: ID!, $input: UpdateContentConfigInput!) "
        f"{{ updateContentConfig(id: $id, input: $input) {{ {CONFIG_FIELDS} }} }}"
    )
    _, body = await gql(client, update, {"id": created["id"], "input": {"clearDescription": True}}, token)
    updated = body["data"]["updateContentConfig"]["contentConfig"]
    assert updated["description"] is None and updated["name"] == "laptops"
    assert updated["contentConfig"] == {"word_map": {"Foo": "Bar"}}

    node = "query ($id: ID!) { node(id: $id) { __typename ... on ContentConfig { configId name } } }"
    _, body = await gql(client, node, {"id": created["id"]}, token)
    assert body["data"]["node"] == {"__typename": "ContentConfig", "configId": created["configId"], "name": "laptops"}
    _, body = await gql(client, node, {"id": created["id"]}, other_workspace.api_key)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]

    listing = """
    query ($filter: ContentConfigFilter, $first: Int! = 20, $after: String) {
      contentConfigs(filter: $filter, first: $first, after: $after) {
        totalCount edges { cursor node { configId scope } } pageInfo { hasNextPage endCursor }
      }
    }
    """
    _, body = await gql(client, listing, {"filter": {"scope": "PRIVATE"}}, token)
    private = body["data"]["contentConfigs"]
    assert [e["node"] for e in private["edges"]] == [{"configId": created["configId"], "scope": "PRIVATE"}]
    assert private["totalCount"] == 1 and private["pageInfo"]["hasNextPage"] is False
    _, body = await gql(client, listing, {"first": 1}, token)
    first = body["data"]["contentConfigs"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    assert first["edges"][0]["node"]["scope"] == "PUBLIC"  # the built-in ones come first
    _, body = await gql(client, listing, {"first": 1, "after": first["pageInfo"]["endCursor"]}, token)
    assert [e["node"] for e in body["data"]["contentConfigs"]["edges"]] == [
        {"configId": created["configId"], "scope": "PRIVATE"}
    ]

    delete = "mutation ($id: ID!) { deleteContentConfig(id: $id) { deletedId userErrors { code } } }"
    _, body = await gql(client, delete, {"id": created["configId"]}, token)
    assert body["data"]["deleteContentConfig"]["deletedId"] == created["id"]
    _, body = await gql(client, delete, {"id": created["configId"]}, token)
    assert body["data"]["deleteContentConfig"]["userErrors"] == [{"code": "NOT_FOUND"}]


async def test_submit_content_feedback(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    _, body = await gql(client, GENERATE, {"input": generate_input(example)}, workspace.api_key)
    job_id = body["data"]["generateContent"]["job"]["jobId"]
    await wait_result(client, workspace, job_id)
    mutation = """
    mutation ($input: ContentFeedbackInput!) {
      submitContentFeedback(input: $input) { feedback { feedbackId jobId productId } userErrors { field code } }
    }
    """
    feedback = {
        "jobId": job_id,
        "productId": "1234567890001",
        "initialPdpContent": {"title": "A"},
        "correctedPdpContent": {"title": "B"},
        "commentHistory": [{"content_type": "title", "feedback": "Shorter, please."}],
    }
    _, body = await gql(client, mutation, {"input": feedback}, workspace.api_key)
    saved = body["data"]["submitContentFeedback"]["feedback"]
    assert saved["jobId"] == job_id and saved["productId"] == "1234567890001"
    _, body = await gql(client, mutation, {"input": {**feedback, "productId": "nope"}}, workspace.api_key)
    assert body["data"]["submitContentFeedback"]["userErrors"] == [{"field": "product_id", "code": "INVALID_INPUT"}]
