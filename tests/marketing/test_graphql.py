"""The GraphQL twin: generateMarketingPosts (the REST command, problems as userErrors), marketingPosts with signed
image links, and a live jobProgress subscription that receives the steps and the completion payload in order."""

from __future__ import annotations

import asyncio

import httpx

from tests.conftest import live_app
from tests.marketing.helpers import make_product, marketing_registry, written
from tests.support.factories import add_member, make_workspace
from tests.support.graphql import gql, subscription
from tests.support.jobs import wait_for

GENERATE = """
mutation ($input: GenerateMarketingPostsInput!) {
  generateMarketingPosts(input: $input) { job { id jobId kind status } userErrors { field code message } }
}"""
POSTS = """
query ($productId: ID, $first: Int!, $after: String) {
  marketingPosts(productId: $productId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id productId jobId storefrontPostId position angle caption hashtags cta
                   overlays { headline priceBadge cta } imageType imageUrl width height } }
  }
}"""
PROGRESS = "subscription ($id: ID!) { jobProgress(id: $id) { seq type status progress message data } }"


async def test_generate_then_list_the_posts_with_signed_image_links(client, services, workspace):
    product_id = await make_product(services, workspace)
    variables = {
        "input": {
            "productId": f"prod_{product_id}",
            "postsCount": 2,
            "generateImages": True,
            "imageType": "story",
            "mood": "luxury",
        }
    }
    _, body = await gql(client, GENERATE, variables, token=workspace.api_key)
    answer = body["data"]["generateMarketingPosts"]
    assert answer["userErrors"] == [] and answer["job"]["kind"] == "marketing.posts"
    await wait_for(services, answer["job"]["jobId"], ["completed"], timeout=60)

    _, body = await gql(client, POSTS, {"productId": str(product_id), "first": 1}, token=workspace.api_key)
    page = body["data"]["marketingPosts"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"] is True
    first = page["edges"][0]["node"]
    assert first["position"] == 0 and first["angle"] == "benefit" and first["imageType"] == "story"
    assert (first["width"], first["height"]) == (1080, 1920)
    assert first["overlays"]["priceBadge"] == "$24.99" and first["productId"] == f"prod_{product_id}"
    image = await client.get(first["imageUrl"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    after = page["pageInfo"]["endCursor"]
    _, body = await gql(
        client, POSTS, {"productId": str(product_id), "first": 5, "after": after}, token=workspace.api_key
    )
    assert [e["node"]["position"] for e in body["data"]["marketingPosts"]["edges"]] == [1]


async def test_bad_input_is_user_errors_and_nothing_is_written(client, services, workspace):
    product_id = await make_product(services, workspace)
    before = await written(services, workspace)
    variables = {"input": {"productId": str(product_id), "postsCount": 4, "mood": "grumpy"}}
    _, body = await gql(client, GENERATE, variables, token=workspace.api_key)
    answer = body["data"]["generateMarketingPosts"]
    assert answer["job"] is None
    assert sorted(e["field"] for e in answer["userErrors"]) == ["mood", "postsCount"]
    other = await make_workspace(services, name="Other")
    theirs = await make_product(services, other)
    _, body = await gql(client, GENERATE, {"input": {"productId": str(theirs)}}, token=workspace.api_key)
    assert [e["code"] for e in body["data"]["generateMarketingPosts"]["userErrors"]] == ["NOT_FOUND"]
    viewer = await add_member(services, workspace, "viewer@example.com", "viewer")
    _, body = await gql(client, GENERATE, {"input": {"productId": str(product_id)}}, token=viewer)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await written(services, workspace) == before
    # Another workspace's product is not listed either.
    _, body = await gql(client, POSTS, {"productId": str(theirs), "first": 5}, token=workspace.api_key)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_subscription_receives_the_steps_and_the_completion_payload_in_order(settings):
    async with live_app(settings, marketing_registry) as live:
        ws = await make_workspace(live.services, name="Live shop")
        product_id = await make_product(live.services, ws)
        queue = live.app.state.runtime.queue
        enqueue, held = queue.enqueue, []

        async def hold(job_id: str) -> None:  # the job starts once the subscriber listens
            held.append(job_id)

        queue.enqueue = hold
        variables = {"input": {"productId": str(product_id), "postsCount": 2, "generateImages": True}}
        async with httpx.AsyncClient(base_url=live.url) as http:
            _, body = await gql(http, GENERATE, variables, token=ws.api_key)
        job = body["data"]["generateMarketingPosts"]["job"]
        listening = asyncio.create_task(
            subscription(live.ws_url, PROGRESS, {"id": job["id"]}, ws.headers(), timeout=60)
        )
        await asyncio.sleep(0.5)
        queue.enqueue = enqueue
        await enqueue(held[0])
        messages = await listening
    assert messages[-1]["type"] == "complete"
    events = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
    assert events[0]["type"] == "snapshot"
    assert [e["seq"] for e in events[1:]] == list(range(events[0]["seq"] + 1, events[-1]["seq"] + 1))
    steps = [(e["data"] or {}).get("step") for e in events if e["type"] == "progress"]
    assert steps == ["loading", "text", "image", "image", "storing", "completed"]
    progress = [e for e in events if e["type"] == "progress"]
    assert all(e["message"] for e in progress)
    assert [e["progress"] for e in progress] == sorted(e["progress"] for e in progress)
    completed = progress[-1]["data"]
    assert completed["event"] == "post-generation:completed"
    assert len(completed["posts"]) == 2 and len(completed["storefrontPostIds"]) == 2
    assert completed["overlays"] == [p["overlays"] for p in completed["posts"]]
    assert events[-1]["status"] == "COMPLETED" and events[-1]["progress"] == 1.0
