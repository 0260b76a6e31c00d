"""Bad input to the analysis jobs is refused with 4xx ``{"code","message"}`` (field paths in ``errors``) and
writes nothing; another workspace's jobs and reports are not found."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.catalog import helpers as catalog
from tests.content.analysis.helpers import REVIEWS, TONE, result_of, review_example, table_counts, tone_example
from tests.support.factories import WorkspaceInfo
from tests.support.graphql import gql


def changed(body: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    out = copy.deepcopy(body)
    change(out)
    return out


def _set(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda b: b.update(values)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda b: b.pop(key)


REVIEW_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "both sources": (_set(product_ids=["1"]), "body"),
    "neither source": (_drop("review_texts"), "body"),
    "review over 1000 characters": (lambda b: b["review_texts"].append("x" * 1001), "review_texts[10]"),
    "empty review": (lambda b: b["review_texts"].insert(0, ""), "review_texts[0]"),
    "empty review_texts": (_set(review_texts=[]), "review_texts"),
    "empty product_ids": (lambda b: b.update(review_texts=None, product_ids=[]), "product_ids"),
    "unknown market": (_set(market="xx"), "market"),
    "upper-case market": (_set(market="UK"), "market"),
    "unknown language": (_set(language="english"), "language"),
    "missing product_desc": (_drop("product_desc"), "product_desc"),
    "empty output_id": (_set(output_id=""), "output_id"),
    "review text not a string": (_set(review_texts=[1, 2]), "review_texts[0]"),
    "unknown field": (_set(reviews=["x"]), "reviews"),
    "bad callback_url": (_set(callback_url="ftp://example.com/hook"), "callback_url"),
}


@pytest.mark.parametrize("case", list(REVIEW_CASES))
async def test_review_summariser_bad_input(
    case: str, client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    change, field = REVIEW_CASES[case]
    before = await table_counts(services)
    response = await client.post(f"{REVIEWS}/jobs", json=changed(review_example(), change), headers=workspace.headers())
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "bad_request" and body["message"].startswith("Invalid request body"), body
    assert field in body["errors"], body
    assert await table_counts(services) == before


async def test_unknown_product_ids_are_refused_each_by_its_index(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    """Unlike content generation (where an unknown id becomes a warning), the summariser reads its reviews from
    the products: an id that names no product of the workspace's catalog is bad input, and so are products without
    a single stored review (there would be nothing to summarise)."""
    product = await catalog.product(services, workspace, title="No reviews yet")
    body = changed(review_example(), _drop("review_texts"))
    before = await table_counts(services)
    unknown = await client.post(
        f"{REVIEWS}/jobs",
        json={**body, "product_ids": [str(product.id), "999999", "abc", str(product.id)]},
        headers=workspace.headers(),
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "bad_request"
    assert set(unknown.json()["errors"]) == {"product_ids[1]", "product_ids[2]", "product_ids[3]"}, unknown.json()
    empty = await client.post(
        f"{REVIEWS}/jobs", json={**body, "product_ids": [product.id]}, headers=workspace.headers()
    )
    assert empty.status_code == 400 and "no stored reviews" in empty.json()["message"], empty.json()
    assert await table_counts(services) == before


TONE_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "no items": (_set(items=[]), "items"),
    "six items": (lambda b: b.update(items=b["items"] * 6), "items"),
    "missing items": (_drop("items"), "items"),
    "unknown model": (_set(analysis_model_name="gpt-3"), "analysis_model_name"),
    "empty pdp_contents": (lambda b: b["items"][0].update(pdp_contents=[]), "items[0].pdp_contents"),
    "empty pdp": (lambda b: b["items"][0].update(pdp_contents=[{}]), "items[0].pdp_contents[0]"),
    "pdp text not a string": (
        lambda b: b["items"][0]["pdp_contents"][0].update(title=5),
        "items[0].pdp_contents[0].title",
    ),
    "product without attributes": (
        lambda b: b["items"][0]["product"].update(attributes=[]),
        "items[0].product.attributes",
    ),
    "bad callback_url": (_set(callback_url="not a url"), "callback_url"),
    "empty external_tracking_id": (_set(external_tracking_id=""), "external_tracking_id"),
}


@pytest.mark.parametrize("case", list(TONE_CASES))
async def test_tone_of_voice_bad_input(
    case: str, client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    change, field = TONE_CASES[case]
    before = await table_counts(services)
    response = await client.post(f"{TONE}/jobs", json=changed(tone_example(), change), headers=workspace.headers())
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "bad_request" and field in body["errors"], body
    assert await table_counts(services) == before


@pytest.mark.parametrize("base", [REVIEWS, TONE])
@pytest.mark.parametrize("raw", ['{"market": "uk",', "[1, 2]", '"text"'])
async def test_malformed_or_non_object_json(
    base: str, raw: str, client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    before = await table_counts(services)
    headers = {**workspace.headers(), "content-type": "application/json"}
    response = await client.post(f"{base}/jobs", content=raw, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) >= {"code", "message"}
    assert await table_counts(services) == before


async def test_another_workspaces_jobs_and_reports_are_not_found(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    review_job, _ = await result_of(client, workspace, REVIEWS, review_example())
    tone_job, _ = await result_of(client, workspace, TONE, tone_example())
    for path in (
        f"{REVIEWS}/jobs/{review_job}/status",
        f"{REVIEWS}/jobs/{review_job}/result",
        f"{REVIEWS}/outputs/myVirtualProduct",
        f"{TONE}/jobs/{tone_job}/status",
        f"{TONE}/jobs/{tone_job}/result",
        # a job of the other kind, and no job at all
        f"{TONE}/jobs/{review_job}/result",
        f"{REVIEWS}/jobs/{tone_job}/status",
        f"{REVIEWS}/jobs/00000000-0000-0000-0000-000000000000/status",
        f"{REVIEWS}/jobs/not-a-uuid/result",
    ):
        answer = await client.get(
            path, headers=other_workspace.headers() if "not-a" not in path else workspace.headers()
        )
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["code"] == "not_found"
    _status, body = await gql(
        client,
        "query($id: ID!) { reviewSummaryResult(jobId: $id) { status } }",
        {"id": review_job},
        token=other_workspace.api_key,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body


async def test_submitting_needs_credentials(client: httpx.AsyncClient, services: AppServices) -> None:
    before = await table_counts(services)
    for base, body in ((REVIEWS, review_example()), (TONE, tone_example())):
        no_auth = await client.post(f"{base}/jobs", json=body)
        assert no_auth.status_code == 401 and set(no_auth.json()) >= {"code", "message"}
    assert await table_counts(services) == before
