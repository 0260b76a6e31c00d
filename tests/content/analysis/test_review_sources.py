"""Where the reviews come from and which count: stored reviews of catalog products (added and listed over
GraphQL, read without N+1), and only the first 200 reviews, provably."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.catalog import helpers as catalog
from tests.content.analysis.helpers import REVIEWS, assert_report, result_of, review_example
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql
from tests.support.jobs import load_job
from tests.support.statements import counting

ADD = """
mutation($id: ID!, $reviews: [ProductReviewInput!]!) {
  addProductReviews(productId: $id, reviews: $reviews) {
    reviews { id reviewId text rating author externalReviewId }
    userErrors { field code message }
  }
}
"""

USED = "query($id: ID!) { reviewSummaryResult(jobId: $id) { summary { reviewsUsed reviewsReceived } } }"

# 200 reviews about comfort and the colour; then 50 more, all about a strap that snaps.
FIRST = [
    f"Review {i}: very comfortable to wear all day." if i % 2 else f"Review {i}: I love the bright colour."
    for i in range(200)
]
LATE = [f"Late review {i}: terrible, the strap snapped and the buckle cracked." for i in range(50)]


async def add_reviews(client: httpx.AsyncClient, ws: WorkspaceInfo, product_id: int, texts: list[str]) -> Any:
    reviews = [{"text": t, "rating": 4.5, "author": "sam", "externalReviewId": f"r-{i}"} for i, t in enumerate(texts)]
    status, body = await gql(client, ADD, {"id": str(product_id), "reviews": reviews}, token=ws.api_key)
    assert status == 200 and "errors" not in body, body
    return body["data"]["addProductReviews"]


async def test_product_ids_summarise_the_stored_reviews(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    product = await catalog.product(services, workspace, title="Trail Backpack")
    added = await add_reviews(client, workspace, product.id, review_example()["review_texts"])
    assert added["userErrors"] == [] and len(added["reviews"]) == 10
    assert added["reviews"][0]["rating"] == 4.5 and added["reviews"][0]["externalReviewId"] == "r-0"
    node_query = "query($id: ID!) { node(id: $id) { ... on ProductReview { reviewId text } } }"
    first_id = added["reviews"][0]["id"]
    _, node = await gql(client, node_query, {"id": first_id}, token=workspace.api_key)
    assert node["data"]["node"]["text"] == review_example()["review_texts"][0], node
    _, hidden = await gql(client, node_query, {"id": first_id}, token=other_workspace.api_key)
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND", hidden

    body = {**review_example(), "product_ids": [str(product.id)], "output_id": "trail"}
    del body["review_texts"]
    job_id, report = await result_of(client, workspace, REVIEWS, body)
    assert_report(report)
    # The same reviews sent as texts give the same report.
    _, same = await result_of(client, workspace, REVIEWS, {**review_example(), "output_id": "texts"})
    assert report == same
    job = await load_job(services, job_id)
    assert job.params["reviews"] == review_example()["review_texts"] and job.params["source"] == "product_ids"

    # Another workspace cannot summarise (or even name) this product.
    refused = await client.post(f"{REVIEWS}/jobs", json=body, headers=other_workspace.headers())
    assert refused.status_code == 400 and refused.json()["code"] == "bad_request"
    assert "product_ids[0]" in refused.json()["errors"]


async def test_only_the_first_200_review_texts_count(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    base = {**review_example(), "review_texts": FIRST}
    _first_job, only_200 = await result_of(client, workspace, REVIEWS, base)
    late_job, with_late = await result_of(client, workspace, REVIEWS, {**base, "review_texts": FIRST + LATE})
    # 50 reviews of a snapping strap after the 200th change nothing: they were never read.
    assert with_late == only_200
    assert not any("strap" in k.lower() or "buckle" in k.lower() for side in with_late for k in side)
    _status, body = await gql(client, USED, {"id": late_job}, token=workspace.api_key)
    assert body["data"]["reviewSummaryResult"]["summary"] == {"reviewsUsed": 200, "reviewsReceived": 250}
    # ...whereas the same 50 within the first 200 do show up.
    _, early = await result_of(client, workspace, REVIEWS, {**base, "review_texts": LATE + FIRST[:150]})
    assert any("strap" in k.lower() or "buckle" in k.lower() for k in early[1]), early


@pytest.mark.provider("openai")
async def test_reviews_past_the_200th_never_reach_the_model(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    await result_of(client, workspace, REVIEWS, {**review_example(), "review_texts": FIRST + LATE})
    prompt = fake_openai.requests[0].user
    assert f"[199] {FIRST[199]}" in prompt
    assert "[200]" not in prompt and "strap" not in prompt


async def test_product_ids_take_the_first_200_across_products_in_order(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    a = await catalog.product(services, workspace, title="A")
    b = await catalog.product(services, workspace, title="B")
    await add_reviews(client, workspace, a.id, FIRST[:150])
    await add_reviews(client, workspace, b.id, FIRST[150:] + LATE)
    body = {**review_example(), "product_ids": [a.id, f"prod_{b.id}"]}  # integer and prefixed ids are taken
    del body["review_texts"]
    job_id, report = await result_of(client, workspace, REVIEWS, body)
    assert_report(report)
    job = await load_job(services, job_id)
    assert job.params["reviews"] == FIRST  # A's 150, then B's first 50: none of the late ones
    _status, typed = await gql(client, USED, {"id": job_id}, token=workspace.api_key)
    assert typed["data"]["reviewSummaryResult"]["summary"] == {"reviewsUsed": 200, "reviewsReceived": 250}


REVIEWS_PAGE = """
query($first: Int!) {
  products(first: $first) { edges { node { title
    productReviews(first: 2) { totalCount edges { node { text } } pageInfo { hasNextPage endCursor } }
  } } }
}
"""


async def test_product_reviews_connection_without_n_plus_1(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    for i in range(12):
        product = await catalog.product(services, workspace, title=f"Product {i}")
        await add_reviews(client, workspace, product.id, [f"P{i} review {n}" for n in range(3)])
    counts = {}
    for size in (3, 12):
        with counting(services) as statements:
            status, body = await gql(client, REVIEWS_PAGE, {"first": size}, token=workspace.api_key)
        assert status == 200 and "errors" not in body, body
        for edge in body["data"]["products"]["edges"]:
            reviews = edge["node"]["productReviews"]
            assert reviews["totalCount"] == 3 and reviews["pageInfo"]["hasNextPage"] is True
            assert [e["node"]["text"][-8:] for e in reviews["edges"]] == ["review 0", "review 1"]
        counts[size] = len(statements)
    assert counts[3] == counts[12], counts

    # The next page of one product.
    query = """query($id: ID!, $after: String) { product(id: $id) {
      productReviews(first: 2, after: $after) { edges { node { text } } pageInfo { hasNextPage } } } }"""
    status, body = await gql(client, REVIEWS_PAGE, {"first": 1}, token=workspace.api_key)
    cursor = body["data"]["products"]["edges"][0]["node"]["productReviews"]["pageInfo"]["endCursor"]
    status, page = await gql(client, query, {"id": str(product.id), "after": cursor}, token=workspace.api_key)
    assert status == 200 and "errors" not in page, page
    assert [e["node"]["text"] for e in page["data"]["product"]["productReviews"]["edges"]] == ["P11 review 2"]


async def test_add_product_reviews_refuses_bad_input_and_writes_nothing(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    product = await catalog.product(services, workspace, title="P")
    await add_reviews(client, workspace, product.id, ["Nice."])
    bad = [
        {"text": "x" * 1001},
        {"text": "Fine", "rating": 7},
        {"text": "Dup", "externalReviewId": "r-0"},  # already stored for this product
        {"text": ""},
    ]
    status, body = await gql(client, ADD, {"id": str(product.id), "reviews": bad}, token=workspace.api_key)
    errors = body["data"]["addProductReviews"]["userErrors"]
    assert {e["field"] for e in errors} == {
        "reviews.0.text",
        "reviews.1.rating",
        "reviews.2.external_review_id",
        "reviews.3.text",
    }, errors
    assert body["data"]["addProductReviews"]["reviews"] is None
    status, body = await gql(client, ADD, {"id": str(product.id), "reviews": []}, token=workspace.api_key)
    assert body["data"]["addProductReviews"]["userErrors"][0]["field"] == "reviews"
    # Another workspace's product is not found.
    status, body = await gql(
        client, ADD, {"id": str(product.id), "reviews": [{"text": "Hi"}]}, token=other_workspace.api_key
    )
    assert status == 200 and body["data"]["addProductReviews"]["userErrors"][0]["code"] == "NOT_FOUND", body
    _status, count = await gql(
        client,
        "query($id: ID!) { product(id: $id) { productReviews { totalCount } } }",
        {"id": str(product.id)},
        token=workspace.api_key,
    )
    assert count["data"]["product"]["productReviews"]["totalCount"] == 1
