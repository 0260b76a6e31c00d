"""Helpers for the content-analysis tests: the document's example bodies, submitting, waiting, reading."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.catalog.models import ProductReview
from domain.content.analysis.models import ReviewSummaryOutput
from domain.jobs.models import Job
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

HERE = Path(__file__).parent
REVIEWS = "/brandbrain/content-analysis/review-summariser"
TONE = "/brandbrain/content-analysis/tone-of-voice"
TERMINAL = ("completed", "failed", "cancelled")
KEY = re.compile(r"^(\d+)\. (.+)$")
SHARE = re.compile(r"^(\d{1,3})\.(\d)%$")
STYLE_GUIDE_KEYS = [
    "tone_of_voice",
    "writing_style",
    "target_audience",
    "grammar",
    "emotional_tone",
    "punctuation",
    "language",
    "pitch",
    "choice_of_words",
    "use_of_emoticons",
    "pattern",
    "industry",
]


def review_example() -> dict[str, Any]:
    """The document's Review Summariser example request, as it stands."""
    body: dict[str, Any] = json.loads((HERE / "review_example.json").read_text())
    return body


def tone_example() -> dict[str, Any]:
    """The document's Tone of Voice example request. The document prints it with a comma after its last field
    (``"analysis_model_name": "gpt-4.1",`` then ``}``), which is not JSON; that comma is left out."""
    body: dict[str, Any] = json.loads((HERE / "tone_example.json").read_text())
    return body


async def run_job(client: httpx.AsyncClient, ws: WorkspaceInfo, base: str, body: Any) -> tuple[str, dict[str, Any]]:
    """Submits to ``base``/jobs and waits for the job to finish; (job_id, last status)."""
    response = await client.post(f"{base}/jobs", json=body, headers=ws.headers())
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["job_id"]
    job_id: str = response.json()["job_id"]
    async with asyncio.timeout(60):
        while True:
            status = await client.get(f"{base}/jobs/{job_id}/status", headers=ws.headers())
            assert status.status_code == 200, status.text
            if status.json()["status"] in TERMINAL:
                return job_id, status.json()
            await asyncio.sleep(0.05)


async def result_of(client: httpx.AsyncClient, ws: WorkspaceInfo, base: str, body: Any) -> tuple[str, Any]:
    job_id, status = await run_job(client, ws, base, body)
    assert status == {"status": "completed", "message": "The job has completed successfully."}, status
    result = await client.get(f"{base}/jobs/{job_id}/result", headers=ws.headers())
    assert result.status_code == 200, result.text
    return job_id, result.json()


def shares(report: list[dict[str, str]]) -> list[tuple[int, str, str, float]]:
    """(map index, rank, theme, share) of both maps; asserts the documented shape on the way."""
    assert isinstance(report, list) and len(report) == 2, report
    out: list[tuple[int, str, str, float]] = []
    for side, themes in enumerate(report):
        assert isinstance(themes, dict)
        for position, (key, value) in enumerate(themes.items(), start=1):
            m, s = KEY.match(key), SHARE.match(value)
            assert m and s, (key, value)
            assert int(m.group(1)) == position, report
            out.append((side, m.group(1), m.group(2), float(f"{s.group(1)}.{s.group(2)}")))
    return out


def assert_report(report: list[dict[str, str]]) -> list[tuple[int, str, str, float]]:
    """The documented shape; both maps together add up to 100%; each map ranked by share, Other last."""
    rows = shares(report)
    assert rows, report
    assert abs(sum(r[3] for r in rows) - 100.0) < 1e-6, report
    for side in (0, 1):
        mine = [r for r in rows if r[0] == side]
        named = [r[3] for r in mine if r[2] != "Other"]
        assert named == sorted(named, reverse=True), report
        others = [i for i, r in enumerate(mine) if r[2] == "Other"]
        assert others in ([], [len(mine) - 1]), report
    return rows


async def table_counts(services: AppServices) -> tuple[int, int, int]:
    """(jobs, stored review summaries, product reviews): to prove a refused request wrote nothing."""
    async with services.read() as session:
        jobs = (await session.execute(select(func.count(Job.id)))).scalar_one()
        outputs = (await session.execute(select(func.count(ReviewSummaryOutput.id)))).scalar_one()
        reviews = (await session.execute(select(func.count(ProductReview.id)))).scalar_one()
    return int(jobs), int(outputs), int(reviews)
