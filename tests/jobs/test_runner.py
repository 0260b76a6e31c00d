"""The in-process runner: lifecycle, events, failures, retries, cancellation."""

from __future__ import annotations

from domain.db import NullDispatcher
from domain.jobs.service import JobService
from tests.support import jobkinds
from tests.support.factories import create_job
from tests.support.graphql import gql
from tests.support.jobs import events_of, load_job, wait_for


async def test_job_runs_to_completion_with_ordered_events(services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 3})
    job = await wait_for(services, job_id, {"completed"})
    assert job.result == {"steps": 3, "attempt": 1}
    assert job.progress == 1.0 and job.attempts == 1 and job.finished_at is not None
    events = await events_of(services, job_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [(e.type, e.status) for e in events] == [
        ("status", "queued"),
        ("status", "processing"),
        ("progress", "processing"),
        ("progress", "processing"),
        ("progress", "processing"),
        ("status", "completed"),
    ]
    assert [e.data for e in events if e.type == "progress"] == [{"step": 1}, {"step": 2}, {"step": 3}]
    assert job.last_seq == events[-1].seq


async def test_domain_error_fails_job_with_its_code(services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 3, "fail_at": 2})
    job = await wait_for(services, job_id, {"failed"})
    assert (job.error_code, job.error_message) == ("step_failed", "step 2 failed on purpose")
    assert job.attempts == 1


async def test_unexpected_exception_fails_without_leaking_details(services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 1, "crash": True})
    job = await wait_for(services, job_id, {"failed"})
    assert job.error_code == "internal_error"
    assert "secret" not in (job.error_message or "")
    assert "RuntimeError" in (job.error_message or "")


async def test_transient_failure_is_retried(services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 1, "flaky_attempts": 2})
    job = await wait_for(services, job_id, {"completed"})
    assert job.attempts == 3 and job.result == {"steps": 1, "attempt": 3}
    statuses = [e.status for e in await events_of(services, job_id) if e.type == "status"]
    assert statuses == ["queued", "processing", "queued", "processing", "queued", "processing", "completed"]


async def test_transient_failure_out_of_attempts_fails_with_reason(services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 1, "flaky_attempts": 5}, max_attempts=2)
    job = await wait_for(services, job_id, {"failed"})
    assert job.attempts == 2 and job.error_code == "retryable_error"
    assert "Gave up after 2 attempts" in (job.error_message or "")


async def test_unknown_kind_fails_clearly(services, workspace):
    job_id = await create_job(services, workspace, kind=jobkinds.UNREGISTERED)
    job = await wait_for(services, job_id, {"failed"})
    assert job.error_code == "unknown_kind"


async def test_cancel_queued_job_through_graphql(services, workspace, client):
    # Created without dispatching, so it stays queued.
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={})
    status, body = await gql(
        client,
        "mutation($id: ID!) { cancelJob(id: $id) { job { status } userErrors { code message } } }",
        {"id": job.id},
        token=workspace.api_key,
    )
    assert status == 200 and body["data"]["cancelJob"] == {"job": {"status": "CANCELLED"}, "userErrors": []}
    assert (await load_job(services, job.id)).status == "cancelled"
    # A finished job cannot be cancelled again.
    _, body = await gql(
        client,
        "mutation($id: ID!) { cancelJob(id: $id) { job { status } userErrors { code } } }",
        {"id": job.id},
        token=workspace.api_key,
    )
    assert body["data"]["cancelJob"] == {"job": None, "userErrors": [{"code": "JOB_FINISHED"}]}


async def test_cancel_running_job_stops_it(services, workspace, client):
    job_id = await create_job(services, workspace, params={"steps": 50, "delay": 0.1})
    await wait_for(services, job_id, {"processing"}, min_progress=0.01)
    response = await client.post(f"/v1/jobs/{job_id}/cancel", headers=workspace.headers())
    assert response.status_code == 200 and response.json()["cancel_requested"] is True
    job = await wait_for(services, job_id, {"cancelled"}, timeout=10)
    assert job.progress < 1.0
    events = await events_of(services, job_id)
    assert events[-1].status == "cancelled"
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


async def test_jobs_connection_filters_and_pages(services, workspace, client):
    ids = [await create_job(services, workspace, params={"steps": 1}) for _ in range(3)]
    failing = await create_job(services, workspace, params={"steps": 1, "fail_at": 1})
    for job_id in [*ids, failing]:
        await wait_for(services, job_id, {"completed", "failed"})
    query = """query($first: Int!, $after: String, $statuses: [JobStatus!]) {
      jobs(first: $first, after: $after, filter: {statuses: $statuses}) {
        totalCount edges { cursor node { jobId status } } pageInfo { hasNextPage endCursor } } }"""
    _, body = await gql(client, query, {"first": 2}, token=workspace.api_key)
    page = body["data"]["jobs"]
    assert page["totalCount"] == 4 and len(page["edges"]) == 2 and page["pageInfo"]["hasNextPage"]
    _, body = await gql(client, query, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=workspace.api_key)
    rest = body["data"]["jobs"]
    seen = [e["node"]["jobId"] for e in page["edges"] + rest["edges"]]
    assert sorted(seen) == sorted([*ids, failing]) and not rest["pageInfo"]["hasNextPage"]
    _, body = await gql(client, query, {"first": 10, "statuses": ["FAILED"]}, token=workspace.api_key)
    assert [e["node"]["jobId"] for e in body["data"]["jobs"]["edges"]] == [failing]
