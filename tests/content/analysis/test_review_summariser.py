"""The review summariser end to end: the document's example as it stands (offline and with the test server),
shares computed from the per-review assignments, the report stored under ``output_id``, and reviews of
catalog products."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.analysis.helpers import REVIEWS, assert_report, result_of, review_example
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql
from tests.support.jobs import load_job

SUMMARY_QUERY = """
query($id: ID!) {
  reviewSummaryResult(jobId: $id) {
    status outputId
    summary { reviewsUsed reviewsReceived method
      highlights { rank name share shareText reviewIndexes isOther }
      barriers { rank name share shareText reviewIndexes isOther } }
  }
}
"""


async def typed_summary(client: httpx.AsyncClient, ws: WorkspaceInfo, job_id: str) -> dict[str, Any]:
    status, body = await gql(client, SUMMARY_QUERY, {"id": job_id}, token=ws.api_key)
    assert status == 200 and "errors" not in body, body
    summary: dict[str, Any] = body["data"]["reviewSummaryResult"]["summary"]
    return summary


def assert_backed(summary: dict[str, Any], n_reviews: int) -> None:
    """Every theme is backed by at least one of the reviews used, and every review used counts somewhere."""
    themes = summary["highlights"] + summary["barriers"]
    assert themes
    seen: set[int] = set()
    for theme in themes:
        assert theme["reviewIndexes"], theme
        assert all(0 <= r < n_reviews for r in theme["reviewIndexes"]), theme
        seen.update(theme["reviewIndexes"])
    assert seen == set(range(n_reviews))


async def test_example_offline(client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo) -> None:
    body = review_example()
    job_id, report = await result_of(client, workspace, REVIEWS, body)
    rows = assert_report(report)
    # Extractive themes from the reviews' own words: the backpack is what most reviews praise.
    highlights = [r[2] for r in rows if r[0] == 0]
    assert "Backpack" in highlights
    summary = await typed_summary(client, workspace, job_id)
    assert summary["method"] == "offline" and summary["reviewsUsed"] == summary["reviewsReceived"] == 10
    assert_backed(summary, 10)

    stored = await client.get(f"{REVIEWS}/outputs/myVirtualProduct", headers=workspace.headers())
    assert stored.status_code == 200 and stored.json() == report
    job = await load_job(services, job_id)
    assert job.prompt_tokens == 0 and job.params["output_id"] == "myVirtualProduct"


def scripted_clusters(request: Any) -> dict[str, Any]:
    """What a model would answer for the example: six themes, each review assigned by index. The model does no
    arithmetic; the shares below are ours."""
    return {
        "themes": [
            {"name": "Exceeded expectations", "kind": "highlight"},
            {"name": "Durable, user-friendly, stylish", "kind": "highlight"},
            {"name": "Great for hiking", "kind": "highlight"},
            {"name": "Poor durability", "kind": "barrier"},
            {"name": "Overpriced for quality", "kind": "barrier"},
            {"name": "Mediocre performance", "kind": "barrier"},
        ],
        "assignments": [
            {"review": 0, "sentiment": "positive", "themes": [0]},
            {"review": 1, "sentiment": "negative", "themes": [5]},
            {"review": 2, "sentiment": "negative", "themes": [5]},
            {"review": 3, "sentiment": "positive", "themes": [1]},
            {"review": 4, "sentiment": "neutral", "themes": [5]},
            {"review": 5, "sentiment": "positive", "themes": [1, 0]},
            {"review": 6, "sentiment": "negative", "themes": [4]},
            {"review": 7, "sentiment": "positive", "themes": [2]},
            {"review": 8, "sentiment": "negative", "themes": [3, 99]},  # 99: no such theme, ignored
            {"review": 9, "sentiment": "positive", "themes": [2, 1]},
            {"review": 42, "sentiment": "positive", "themes": [0]},  # no such review, ignored
        ],
    }


@pytest.mark.provider("openai")
async def test_example_with_provider_shares_come_from_the_assignments(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(scripted_clusters)
    job_id, report = await result_of(client, workspace, REVIEWS, review_example())
    assert_report(report)
    # Review 5 and 9 each back two themes, half each: durable 1 + 0.5 + 0.5 = 2 reviews of 10, hiking 1.5,
    # expectations 1.5; barriers: mediocre 3, overpriced 1, poor durability 1 (ties in the model's order).
    assert report == [
        {
            "1. Durable, user-friendly, stylish": "20.0%",
            "2. Exceeded expectations": "15.0%",
            "3. Great for hiking": "15.0%",
        },
        {"1. Mediocre performance": "30.0%", "2. Poor durability": "10.0%", "3. Overpriced for quality": "10.0%"},
    ]
    # One structured call, with every review by its index.
    assert fake_openai.calls == 1
    sent = fake_openai.requests[0]
    assert sent.schema_name == "review_themes"
    for i, text in enumerate(review_example()["review_texts"]):
        assert f"[{i}] {text}" in sent.user
    assert "Do not compute shares" in sent.system
    summary = await typed_summary(client, workspace, job_id)
    assert summary["method"] == "model"
    assert_backed(summary, 10)
    assert (await load_job(services, job_id)).prompt_tokens > 0


@pytest.mark.provider("openai")
async def test_example_with_the_servers_own_answer(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    """Unscripted, the test server answers whatever fits the schema (every review index 1, say): still the
    documented shape, 100% in all, every theme backed; the unassigned reviews are Other."""
    job_id, report = await result_of(client, workspace, REVIEWS, review_example())
    rows = assert_report(report)
    assert any(r[2] == "Other" for r in rows)
    assert_backed(await typed_summary(client, workspace, job_id), 10)


async def test_output_id_keeps_the_latest_report(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    first = review_example()
    _, report_one = await result_of(client, workspace, REVIEWS, first)
    second = {**first, "review_texts": ["The zipper broke after a week.", "Great colour, I love the colour."]}
    _, report_two = await result_of(client, workspace, REVIEWS, second)
    assert report_one != report_two
    stored = await client.get(f"{REVIEWS}/outputs/myVirtualProduct", headers=workspace.headers())
    assert stored.json() == report_two
    query = "query($o: String!) { reviewSummary(outputId: $o) { outputId summary { reviewsUsed barriers { name } } } }"
    status, body = await gql(client, query, {"o": "myVirtualProduct"}, token=workspace.api_key)
    assert status == 200 and body["data"]["reviewSummary"]["summary"]["reviewsUsed"] == 2, body
    missing = await client.get(f"{REVIEWS}/outputs/nothing-here", headers=workspace.headers())
    assert missing.status_code == 404 and set(missing.json()) >= {"code", "message"}


@pytest.mark.provider("openai")
async def test_result_before_completion_is_409_with_the_status(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.latency = 1.0
    response = await client.post(f"{REVIEWS}/jobs", json=review_example(), headers=workspace.headers())
    job_id = response.json()["job_id"]
    early = await client.get(f"{REVIEWS}/jobs/{job_id}/result", headers=workspace.headers())
    assert early.status_code == 409, early.text
    assert early.json()["code"] == "job_not_completed" and early.json()["detail"]["status"] in ("queued", "processing")
    _status, body = await gql(client, SUMMARY_QUERY, {"id": job_id}, token=workspace.api_key)
    assert body["data"]["reviewSummaryResult"]["summary"] is None, body
    stored = await client.get(f"{REVIEWS}/outputs/myVirtualProduct", headers=workspace.headers())
    assert stored.status_code == 404  # nothing is stored before the job completes
