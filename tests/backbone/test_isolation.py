"""Tenant isolation: another workspace's objects answer exactly like objects that do not exist."""

from __future__ import annotations

import uuid
from typing import Any

from schema.relay import to_global_id
from tests.backbone.support import (
    CANCEL_JOB,
    JOB,
    JOBS,
    NODE,
    REVOKE_KEY,
    WORKSPACE,
    codes,
    job_routes,
    row_counts,
)
from tests.support.factories import WorkspaceInfo, add_member, create_job, make_workspace
from tests.support.graphql import TransportWS, gql
from tests.support.jobs import events_of, load_job, wait_for


async def _finished_job(services, ws: WorkspaceInfo) -> str:
    job_id = await create_job(services, ws, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    return job_id


def _not_found(status: int, body: dict[str, Any]) -> None:
    assert status == 200, body
    assert body["data"] is None or set(body["data"].values()) == {None}, body  # node(id:) is nullable
    assert codes(body) == {"NOT_FOUND"}, body


async def test_graphql_reads_of_another_workspaces_job_are_not_found(client, services, workspace, other_workspace):
    theirs = await _finished_job(services, other_workspace)
    missing = str(uuid.uuid4())
    for token in (workspace.api_key, workspace.access_token):
        answers = []
        for job_id in (theirs, missing):
            for id_ in (job_id, to_global_id("Job", job_id), f"job_{job_id}"):
                status, body = await gql(client, JOB, {"id": id_}, token=token)
                _not_found(status, body)
                answers.append(body["errors"][0]["message"])
            status, body = await gql(client, NODE, {"id": to_global_id("Job", job_id)}, token=token)
            _not_found(status, body)
            answers.append(body["errors"][0]["message"])
        # Someone else's job and a job that never existed are indistinguishable.
        assert answers[:4] == answers[4:]
    # The owner does see it (the ids above were right).
    status, body = await gql(client, JOB, {"id": theirs}, token=other_workspace.api_key)
    assert body["data"]["job"]["jobId"] == theirs


async def test_graphql_cancel_of_another_workspaces_job_is_not_found(client, services, workspace, other_workspace):
    theirs = await create_job(services, other_workspace, params={"steps": 200, "delay": 0.05})
    await wait_for(services, theirs, {"processing"})
    before = await row_counts(services)
    for id_ in (theirs, to_global_id("Job", theirs)):
        status, body = await gql(client, CANCEL_JOB, {"id": id_}, token=workspace.access_token)
        assert status == 200, body
        payload = body["data"]["cancelJob"]
        assert payload["job"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    job = await load_job(services, theirs)
    assert job.cancel_requested is False and job.status == "processing"
    assert not any(e.message == "Cancellation requested." for e in await events_of(services, theirs))
    counts = await row_counts(services)
    assert {k: v for k, v in counts.items() if k != "job_events"} == {
        k: v for k, v in before.items() if k != "job_events"
    }  # (the running job itself keeps appending progress events)
    # Clean up: its owner cancels it.
    status, body = await gql(client, CANCEL_JOB, {"id": theirs}, token=other_workspace.api_key)
    assert body["data"]["cancelJob"]["userErrors"] == []
    await wait_for(services, theirs, {"cancelled"})


async def test_rest_routes_of_another_workspaces_job_are_404(client, services, workspace, other_workspace):
    theirs = await _finished_job(services, other_workspace)
    missing = str(uuid.uuid4())
    last_seq = (await load_job(services, theirs)).last_seq
    before = await row_counts(services)
    for headers in (workspace.headers(), workspace.headers(workspace.access_token)):
        for (method, path), (_, missing_path) in zip(job_routes(theirs), job_routes(missing), strict=True):
            response = await client.request(method, path, headers=headers)
            assert response.status_code == 404, (path, response.text)
            assert response.json() == {"code": "not_found", "message": "Job not found."}
            # Byte for byte what a job that never existed gets: nothing leaks.
            other = await client.request(method, missing_path, headers=headers)
            assert (other.status_code, other.json()) == (response.status_code, response.json())
        response = await client.get(f"/v1/jobs/job_{theirs}", headers=headers)
        assert response.status_code == 404
    assert (await load_job(services, theirs)).last_seq == last_seq
    assert await row_counts(services) == before
    # Its owner reads it.
    assert (await client.get(f"/v1/jobs/{theirs}", headers=other_workspace.headers())).status_code == 200


async def test_lists_show_only_the_callers_jobs(client, services, workspace, other_workspace):
    mine = {await _finished_job(services, workspace) for _ in range(2)}
    theirs = {await _finished_job(services, other_workspace) for _ in range(3)}

    for token in (workspace.api_key, workspace.access_token):
        for variables in ({}, {"kinds": ["test.steps"]}, {"statuses": ["COMPLETED"]}, {"first": 100}):
            status, body = await gql(client, JOBS, variables, token=token)
            assert status == 200, body
            connection = body["data"]["jobs"]
            assert {e["node"]["jobId"] for e in connection["edges"]} == mine
            assert connection["totalCount"] == len(mine)
        # Paging one by one never crosses into the other workspace either.
        seen: list[str] = []
        after = None
        while True:
            status, body = await gql(client, JOBS, {"first": 1, "after": after}, token=token)
            connection = body["data"]["jobs"]
            seen += [e["node"]["jobId"] for e in connection["edges"]]
            if not connection["pageInfo"]["hasNextPage"]:
                break
            after = connection["pageInfo"]["endCursor"]
        assert sorted(seen) == sorted(mine)

        for query in ("", "?kind=test.steps", "?status=completed", "?limit=100"):
            response = await client.get(f"/v1/jobs{query}", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.text
            body = response.json()
            assert {j["id"] for j in body["data"]} == mine and body["total"] == len(mine)

    response = await client.get("/v1/jobs", headers=other_workspace.headers())
    assert {j["id"] for j in response.json()["data"]} == theirs


async def test_a_cursor_from_another_workspace_reveals_nothing(client, services, workspace, other_workspace):
    await _finished_job(services, workspace)
    for _ in range(2):
        await _finished_job(services, other_workspace)
    status, body = await gql(client, JOBS, {"first": 1}, token=other_workspace.api_key)
    their_cursor = body["data"]["jobs"]["pageInfo"]["endCursor"]
    status, body = await gql(client, JOBS, {"after": their_cursor}, token=workspace.api_key)
    assert status == 200, body
    theirs = {j["id"] for j in (await client.get("/v1/jobs", headers=other_workspace.headers())).json()["data"]}
    assert not {e["node"]["jobId"] for e in body["data"]["jobs"]["edges"]} & theirs


async def test_node_of_another_workspace_user_and_workspace_is_not_found(client, services, workspace, other_workspace):
    await add_member(services, other_workspace, "their-staff@example.com", "staff")
    for global_id in (
        to_global_id("Workspace", other_workspace.workspace_id),
        to_global_id("User", other_workspace.owner_user_id),
    ):
        status, body = await gql(client, NODE, {"id": global_id}, token=workspace.access_token)
        _not_found(status, body)
    # Their own ids resolve for them.
    status, body = await gql(
        client, NODE, {"id": to_global_id("Workspace", workspace.workspace_id)}, token=workspace.access_token
    )
    assert body["data"]["node"]["id"] == to_global_id("Workspace", workspace.workspace_id), body
    status, body = await gql(
        client, NODE, {"id": to_global_id("User", workspace.owner_user_id)}, token=workspace.access_token
    )
    assert body["data"]["node"]["id"] == to_global_id("User", workspace.owner_user_id), body


async def test_keys_and_members_of_another_workspace_are_out_of_reach(client, services, workspace, other_workspace):
    status, body = await gql(client, WORKSPACE, token=other_workspace.api_key)
    their_key_id = body["data"]["workspace"]["apiKeys"][0]["id"]
    before = await row_counts(services)
    status, body = await gql(client, REVOKE_KEY, {"id": their_key_id}, token=workspace.access_token)
    assert status == 200
    payload = body["data"]["revokeApiKey"]
    assert payload["apiKey"] is None and [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    assert await row_counts(services) == before
    # Their key still works, and only their keys are listed to them.
    _status, body = await gql(client, WORKSPACE, token=other_workspace.api_key)
    assert [k["id"] for k in body["data"]["workspace"]["apiKeys"]] == [their_key_id]
    _, body = await gql(client, WORKSPACE, token=workspace.api_key)
    assert their_key_id not in {k["id"] for k in body["data"]["workspace"]["apiKeys"]}
    assert body["data"]["workspace"]["workspaceId"] == workspace.workspace_id


async def test_subscription_to_another_workspaces_job_is_not_found(live_server):
    mine = await make_workspace(live_server.services, name="Mine")
    theirs = await make_workspace(live_server.services, name="Theirs")
    job_id = await _finished_job(live_server.services, theirs)
    async with TransportWS.opened(live_server.ws_url, mine.headers()) as ws:
        op = await ws.subscribe("subscription($id: ID!) { jobProgress(id: $id) { seq status } }", {"id": job_id})
        messages = await ws.messages(op, timeout=10)
        errors = [m for m in messages if m["type"] in ("error", "next") and _message_errors(m)]
        assert errors, messages
        assert {(e.get("extensions") or {}).get("code") for e in _message_errors(errors[0])} == {"NOT_FOUND"}
        assert not any(m["type"] == "next" and (m["payload"].get("data") or {}).get("jobProgress") for m in messages)


def _message_errors(message: dict[str, Any]) -> list[dict[str, Any]]:
    payload = message.get("payload")
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        return list(payload.get("errors") or [])
    return []
