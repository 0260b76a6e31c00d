"""Bad input: each answer is a clear 4xx (GraphQL: an error with a code) and nothing is written."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response

from resolvers.context import AppServices
from resolvers.rest import jobs as rest_jobs
from resolvers.rest.surface import Call, Router, Surface
from schema.relay import to_global_id
from tests.backbone.support import (
    CANCEL_JOB,
    CREATE_KEY,
    JOB,
    JOBS,
    NODE,
    REVOKE_KEY,
    VIEWER,
    assert_rest_error,
    codes,
    job_routes,
    row_counts,
)
from tests.conftest import running_app
from tests.support.factories import add_member, create_job, make_workspace
from tests.support.graphql import TransportWS, gql
from tests.support.jobs import load_job, wait_for
from tests.support.serving import asgi_client

MIB = 1024 * 1024


@pytest.fixture
async def tight_app(settings_factory) -> AsyncIterator[Starlette]:
    """The app with a small body limit and a shallow query depth limit."""
    async with running_app(settings_factory(max_body_bytes=2048, graphql_max_depth=2)) as application:
        yield application


@pytest.fixture
async def tight_client(tight_app) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(tight_app) as c:
        yield c


def _graphql_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body.get("data") is None, body
    assert codes(body) == {code}, body
    assert all(isinstance(e["message"], str) and e["message"] for e in body["errors"])
    return body


async def _post_raw(client: httpx.AsyncClient, content: Any, token: str, content_type: str = "application/json"):
    return await client.post(
        "/graphql", content=content, headers={"Authorization": f"Bearer {token}", "content-type": content_type}
    )


# --- malformed bodies ----------------------------------------------------------------------------

GRAPHQL_BAD_BODIES = [
    b"{not json",
    b'{"query": "{ viewer { kind } }"',
    b"\xff\xfe\x00",
    b'"a string"',
    b"42",
    b"null",
    b"[1, 2]",
    b"{}",
    b'{"query": 5}',
    b'{"query": "{ viewer { kind } }", "variables": "nope"}',
    b'{"query": "{ viewer { kind } }", "variables": [1]}',
    b'{"query": "{ viewer { kind } }", "extensions": 3}',
    b'{"query": ""}',
]


@pytest.mark.parametrize("content", GRAPHQL_BAD_BODIES)
async def test_graphql_malformed_body_is_400_with_a_graphql_error(client, services, workspace, content):
    before = await row_counts(services)
    response = await _post_raw(client, content, workspace.api_key)
    _graphql_error(response, 400, "BAD_REQUEST")
    assert await row_counts(services) == before


async def test_graphql_other_content_types_are_400(client, services, workspace):
    before = await row_counts(services)
    response = await _post_raw(client, b"query { viewer { kind } }", workspace.api_key, "text/plain")
    _graphql_error(response, 400, "BAD_REQUEST")
    response = await _post_raw(client, b"query=x", workspace.api_key, "application/x-www-form-urlencoded")
    _graphql_error(response, 400, "BAD_REQUEST")
    assert await row_counts(services) == before


async def test_mutations_over_get_and_subscriptions_over_http_are_400(client, services, workspace):
    before = await row_counts(services)
    response = await client.get(
        "/graphql",
        params={"query": 'mutation { createApiKey(input: {name: "g", scopes: ["read"]}) { secret } }'},
        headers=workspace.headers(),
    )
    _graphql_error(response, 400, "BAD_REQUEST")
    response = await client.post(
        "/graphql", json={"query": "subscription { jobEvents { seq } }"}, headers=workspace.headers()
    )
    body = _graphql_error(response, 400, "BAD_REQUEST")
    assert "WebSocket" in body["errors"][0]["message"]
    assert await row_counts(services) == before


def _rest_probe_app(services: AppServices) -> Starlette:
    """A surface in the /v1 dialect with one route that takes a JSON object body."""
    router = Router()

    @router.post("/probe", public=True)
    async def echo(call: Call, body: dict[str, Any]) -> Response:
        return JSONResponse({"received": body})

    surface = Surface(name="probe", prefix="/v1", title="Probe", dialect=rest_jobs.SURFACE.dialect, routers=[router])
    return Starlette(routes=[surface.mount(services)])


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"   ", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"text"', "application/json"),
        (b"12", "application/json"),
        (b"null", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b'{"a": 1}', "text/plain"),
    ],
)
async def test_rest_bodies_that_are_not_json_objects_are_422_invalid_json(services, content, content_type):
    async with asgi_client(_rest_probe_app(services)) as c:
        response = await c.post("/v1/probe", content=content, headers={"content-type": content_type})
        assert_rest_error(response, 422, "invalid_json")
        ok = await c.post("/v1/probe", json={"a": [1, 2]})
        assert ok.status_code == 200 and ok.json() == {"received": {"a": [1, 2]}}


# --- wrong types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        ("query($f: Int!) { jobs(first: $f) { totalCount } }", {"f": "ten"}),
        ("query($f: Int!) { jobs(first: $f) { totalCount } }", {"f": 1.5}),
        ("query($f: Int!) { jobs(first: $f) { totalCount } }", {}),
        ("query($s: [JobStatus!]) { jobs(filter: {statuses: $s}) { totalCount } }", {"s": ["BOGUS"]}),
        ("query($id: ID!) { job(id: $id) { id } }", {"id": None}),
        ("query($id: ID!) { job(id: $id) { id } }", {"id": {"nested": True}}),
        (CREATE_KEY, {"input": {"name": 5, "scopes": ["read"]}}),
        (CREATE_KEY, {"input": {"scopes": ["read"]}}),
        (CREATE_KEY, {"input": {"name": "k", "scopes": [1, {"x": 2}]}}),
        (CREATE_KEY, {"input": {"name": "k", "scopes": ["read"], "expiresAt": "tomorrow"}}),
        (CREATE_KEY, {"input": {"name": "k", "scopes": ["read"], "admin": True}}),
        (CREATE_KEY, {"input": "full"}),
    ],
)
async def test_graphql_variables_of_the_wrong_type_are_bad_user_input(client, services, workspace, document, variables):
    before = await row_counts(services)
    status, body = await gql(client, document, variables, token=workspace.api_key)
    assert status in (200, 400), body
    assert body.get("data") is None, body
    assert codes(body) == {"BAD_USER_INPUT"}, body
    assert await row_counts(services) == before


# --- body size -----------------------------------------------------------------------------------


def _padded_query(size: int) -> bytes:
    body = json.dumps({"query": "{ viewer { kind } }" + " " * size}).encode()
    return body


async def test_graphql_body_over_the_default_limit_is_413_in_graphql_shape(client, services, workspace):
    before = await row_counts(services)
    mutation = 'mutation { createApiKey(input: {name: "big", scopes: ["read"]}) { secret } }'
    body = json.dumps({"query": mutation + " " * (MIB + MIB // 10)}).encode()
    response = await _post_raw(client, body, workspace.api_key)
    error = _graphql_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert str(MIB) in error["errors"][0]["message"]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit is enforced while reading
        yield json.dumps({"query": mutation})[:-1].encode()
        for _ in range(12):
            yield b" " * 100_000
        yield b"}"

    response = await _post_raw(client, chunks(), workspace.api_key)
    _graphql_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert await row_counts(services) == before


async def test_rest_body_over_the_default_limit_is_413_and_nothing_changes(client, services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 200, "delay": 0.05})
    await wait_for(services, job_id, {"processing"})
    response = await client.post(
        f"/v1/jobs/{job_id}/cancel", content=b"x" * (MIB + MIB // 10), headers=workspace.headers()
    )
    assert_rest_error(response, 413, "payload_too_large")
    assert set(response.json()) == {"code", "message"}
    assert (await load_job(services, job_id)).cancel_requested is False
    # The same request with a small body goes through.
    response = await client.post(f"/v1/jobs/{job_id}/cancel", headers=workspace.headers())
    assert response.status_code == 200 and response.json()["cancel_requested"] is True
    await wait_for(services, job_id, {"cancelled"})


async def test_configured_body_limit(tight_app, tight_client):
    services = tight_app.state.services
    ws = await make_workspace(services)
    before = await row_counts(services)
    response = await _post_raw(tight_client, _padded_query(1500), ws.api_key)
    assert response.status_code == 200 and response.json()["data"]["viewer"]["kind"] == "api_key"
    response = await _post_raw(tight_client, _padded_query(2100), ws.api_key)
    _graphql_error(response, 413, "PAYLOAD_TOO_LARGE")
    response = await tight_client.post(f"/v1/jobs/{uuid.uuid4()}/cancel", content=b"x" * 2049, headers=ws.headers())
    assert_rest_error(response, 413, "payload_too_large")
    assert await row_counts(services) == before


# --- unknown ids ---------------------------------------------------------------------------------


def _unknown_job_ids() -> list[str]:
    random = str(uuid.uuid4())
    return [
        random,
        f"job_{random}",
        to_global_id("Job", random),
        to_global_id("Job", "not-a-uuid"),
        "garbage",
        "job_",
        "",
        "x" * 5000,
        "%00'; DROP TABLE jobs; --",
    ]


async def _other_type_ids(ws) -> list[str]:
    return [
        to_global_id("Workspace", ws.workspace_id),
        to_global_id("User", ws.owner_user_id),
        to_global_id("ApiKey", ws.principal.api_key_id or ""),
    ]


async def test_unknown_ids_in_graphql_are_not_found(client, services, workspace):
    await wait_for(services, await create_job(services, workspace, params={"steps": 1}), {"completed"})
    before = await row_counts(services)
    ids = _unknown_job_ids() + await _other_type_ids(workspace)
    for id_ in ids:
        status, body = await gql(client, JOB, {"id": id_}, token=workspace.api_key)
        assert status == 200 and body["data"] is None and codes(body) == {"NOT_FOUND"}, (id_, body)

        status, body = await gql(client, CANCEL_JOB, {"id": id_}, token=workspace.api_key)
        payload = body["data"]["cancelJob"]
        assert payload["job"] is None and [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"], (id_, body)

    for id_ in [*_unknown_job_ids(), to_global_id("Workspace", str(uuid.uuid4()))]:
        status, body = await gql(client, NODE, {"id": id_}, token=workspace.api_key)
        assert body["data"] in (None, {"node": None}) and codes(body) == {"NOT_FOUND"}, (id_, body)

    for id_ in [str(uuid.uuid4()), "garbage", to_global_id("ApiKey", str(uuid.uuid4())), to_global_id("Job", "x")]:
        status, body = await gql(client, REVOKE_KEY, {"id": id_}, token=workspace.api_key)
        payload = body["data"]["revokeApiKey"]
        assert payload["apiKey"] is None and [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"], (id_, body)

    status, body = await gql(client, "{ job(id: 5) { id } }", token=workspace.api_key)
    assert codes(body) == {"NOT_FOUND"}, body
    assert await row_counts(services) == before


async def test_unknown_ids_in_rest_are_404(client, services, workspace):
    before = await row_counts(services)
    for id_ in [i for i in _unknown_job_ids() if i and "/" not in i and "%" not in i] + ["job_garbage", "123"]:
        for method, path in job_routes(id_):
            response = await client.request(method, path, headers=workspace.headers())
            assert response.status_code == 404, (path, response.text)
            assert response.json() == {"code": "not_found", "message": "Job not found."}
    assert await row_counts(services) == before


# --- invalid documents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("{ viewer { ", "GRAPHQL_PARSE_FAILED"),
        ("query { viewer { kind } } }", "GRAPHQL_PARSE_FAILED"),
        ('mutation { createApiKey(input: {name: "x", scopes: ["full"]}) { secret } ', "GRAPHQL_PARSE_FAILED"),
        ("not graphql at all", "GRAPHQL_PARSE_FAILED"),
        ("{ viewer { nope } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ job { id } }", "GRAPHQL_VALIDATION_FAILED"),
        ('{ job(id: "x", extra: 1) { id } }', "GRAPHQL_VALIDATION_FAILED"),
        ("{ viewer }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ jobs(statuses: [BOGUS]) { totalCount } }", "GRAPHQL_VALIDATION_FAILED"),
        ('{ jobs(first: "ten") { totalCount } }', "GRAPHQL_VALIDATION_FAILED"),
        ("query($x: Int) { viewer { kind } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ ...Missing }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ viewer { ...Missing } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ jobs(first: " + "9" * 5000 + ") { totalCount } }", "GRAPHQL_VALIDATION_FAILED"),
        (
            'mutation { createApiKey(input: {name: "x", scopes: ["full"]}) { secret } nope }',
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            'mutation { addMember(email: "v@example.com", role: "viewer") { member { role } } x: nope }',
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ],
)
async def test_invalid_documents_are_errors_with_a_code_never_500(client, services, workspace, document, code):
    before = await row_counts(services)
    status, body = await gql(client, document, token=workspace.api_key)
    assert status in (200, 400), body
    assert body.get("data") is None, body
    assert codes(body) == {code}, body
    # A rule that crashed on the document says nothing of its internals (a KeyError's "'Missing'").
    assert all(e["message"] not in ("'Missing'", "Internal server error.") for e in body["errors"]), body
    assert await row_counts(services) == before


async def test_query_depth_over_the_limit_is_refused(tight_app, tight_client):
    services = tight_app.state.services
    ws = await make_workspace(services)
    token = await add_member(services, ws, "deep@example.com", "admin")
    shallow = "{ viewer { workspace { name } } }"
    deep = "{ viewer { workspace { members { user { email } } } } }"
    status, body = await gql(tight_client, shallow, token=token)
    assert status == 200 and body["data"]["viewer"]["workspace"]["name"], body
    status, body = await gql(tight_client, deep, token=token)
    assert status in (200, 400) and body.get("data") is None and codes(body) == {"GRAPHQL_VALIDATION_FAILED"}, body
    assert "depth" in body["errors"][0]["message"]

    # A deep document is refused before anything runs: its mutation writes nothing.
    before = await row_counts(services)
    mutation = 'mutation { addMember(email: "n@example.com", role: "viewer") { member { user { id } } } }'
    status, body = await gql(tight_client, mutation, token=token)
    assert codes(body) == {"GRAPHQL_VALIDATION_FAILED"}, body
    assert await row_counts(services) == before


async def test_alias_and_token_limits(client, services, workspace):
    aliases = " ".join(f"a{i}: viewer {{ kind }}" for i in range(40))
    _status, body = await gql(client, f"{{ {aliases} }}", token=workspace.api_key)
    assert body.get("data") is None and codes(body) == {"GRAPHQL_VALIDATION_FAILED"}, body
    fields = " ".join("kind" for _ in range(6000))
    _, body = await gql(client, f"{{ viewer {{ {fields} }} }}", token=workspace.api_key)
    assert body.get("data") is None and codes(body) <= {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}, body
    assert body["errors"], body


# --- pagination ----------------------------------------------------------------------------------


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


BAD_CURSORS = [
    "garbage",
    "!!!",
    _cursor("no separator"),
    _cursor("2024-01-01T00:00:00+00:00|not-a-uuid"),
    _cursor(f"yesterday|{uuid.uuid4()}"),
    _cursor(f"2024-01-01T00:00:00|{uuid.uuid4()}"),  # naive timestamp
    base64.urlsafe_b64encode(b"\xff\xfe|x").decode(),
]


async def test_bad_pagination_arguments_in_graphql(client, services, workspace):
    await wait_for(services, await create_job(services, workspace, params={"steps": 1}), {"completed"})
    before = await row_counts(services)
    for first in (0, -1, 101, 1000):
        status, body = await gql(client, JOBS, {"first": first}, token=workspace.api_key)
        assert status == 200 and body["data"] is None and codes(body) == {"INVALID_INPUT"}, (first, body)
        assert "first" in body["errors"][0]["extensions"]["fields"]
    for after in BAD_CURSORS:
        _status, body = await gql(client, JOBS, {"after": after}, token=workspace.api_key)
        assert body["data"] is None and codes(body) == {"INVALID_INPUT"}, (after, body)
        assert "after" in body["errors"][0]["extensions"]["fields"]
    _, body = await gql(client, JOBS, {"first": 100}, token=workspace.api_key)
    assert body["data"]["jobs"]["totalCount"] == 1, body
    assert await row_counts(services) == before


async def test_bad_pagination_arguments_in_rest(client, services, workspace):
    before = await row_counts(services)
    for query in ("limit=0", "limit=-5", "limit=101", "limit=1000", "limit=ten", "limit=", "status=bogus"):
        response = await client.get(f"/v1/jobs?{query}", headers=workspace.headers())
        assert_rest_error(response, 422, "invalid_input")
    for after in BAD_CURSORS:
        response = await client.get("/v1/jobs", params={"after": after}, headers=workspace.headers())
        assert_rest_error(response, 422, "invalid_input")
    response = await client.get(f"/v1/jobs/{uuid.uuid4()}/events?after=abc", headers=workspace.headers())
    assert response.status_code in (404, 422), response.text
    assert (await client.get("/v1/jobs?limit=100", headers=workspace.headers())).status_code == 200
    assert await row_counts(services) == before


@pytest.mark.parametrize("after", ["99999999999999999999", "-1", "1e3", "٣"])
async def test_an_events_cursor_out_of_range_is_bad_input(client, services, workspace, after):
    """Reproducer 2 of the hardening issue: a number past 64 bits as ``after`` was a 500 on PostgreSQL."""
    job_id = await create_job(services, workspace, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    before = await row_counts(services)
    response = await client.get(f"/v1/jobs/{job_id}/events", params={"after": after}, headers=workspace.headers())
    assert_rest_error(response, 422, "invalid_input")
    assert await row_counts(services) == before


# --- subscriptions -------------------------------------------------------------------------------

PROGRESS = "subscription($id: ID!) { jobProgress(id: $id) { seq type status } }"


def _errors_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        payload = message.get("payload")
        if message["type"] == "error" and isinstance(payload, list):
            out += payload
        elif message["type"] == "next" and isinstance(payload, dict):
            out += payload.get("errors") or []
    return out


async def test_subscriptions_to_unknown_jobs_answer_an_error_and_the_connection_lives_on(live_server):
    services = live_server.services
    ws_info = await make_workspace(services)
    before = await row_counts(services)
    async with TransportWS.opened(live_server.ws_url, ws_info.headers()) as conn:
        for id_ in (str(uuid.uuid4()), "garbage", to_global_id("Workspace", ws_info.workspace_id), ""):
            op = await conn.subscribe(PROGRESS, {"id": id_})
            messages = await conn.messages(op, timeout=10)
            errors = _errors_of(messages)
            assert errors and {(e.get("extensions") or {}).get("code") for e in errors} == {"NOT_FOUND"}, messages
            assert not [m for m in messages if m["type"] == "next" and (m["payload"].get("data") or {})]

        # An invalid subscription document is an error too.
        op = await conn.subscribe("subscription { jobProgress { seq } }")
        messages = await conn.messages(op, timeout=10)
        assert messages[-1]["type"] == "error" and messages[-1]["payload"], messages
        assert await row_counts(services) == before

        # The same connection still serves a real job to its end.
        job_id = await create_job(services, ws_info, params={"steps": 1})
        await wait_for(services, job_id, {"completed"})
        op = await conn.subscribe(PROGRESS, {"id": job_id})
        messages = await conn.messages(op, timeout=10)
        assert messages[0]["type"] == "next" and messages[0]["payload"]["data"]["jobProgress"]["status"] == "COMPLETED"
        assert messages[-1]["type"] == "complete"
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        assert (await http.get("/healthz")).status_code == 200


async def test_subscription_without_credentials_is_unauthenticated(live_server):
    ws_info = await make_workspace(live_server.services)
    job_id = await create_job(live_server.services, ws_info, params={"steps": 1})
    async with TransportWS.opened(live_server.ws_url) as conn:
        op = await conn.subscribe(PROGRESS, {"id": job_id})
        messages = await conn.messages(op, timeout=10)
        errors = _errors_of(messages)
        assert errors and {(e.get("extensions") or {}).get("code") for e in errors} == {"UNAUTHENTICATED"}, messages


@pytest.mark.parametrize("token", ["garbage", "swk_00000000_nope", "swt_forged.signature"])
async def test_websocket_with_bad_credentials_is_refused_at_connection(live_server, token):
    ws = await websockets.connect(live_server.ws_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    try:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                message = json.loads(await ws.recv())
                assert message.get("type") != "connection_ack", message
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    finally:
        await ws.close()
    async with httpx.AsyncClient(base_url=live_server.url) as http:
        assert (await http.get("/healthz")).status_code == 200


async def test_viewer_still_answers_after_all_this(client, workspace):
    status, body = await gql(client, VIEWER, token=workspace.api_key)
    assert status == 200 and body["data"]["viewer"]["workspaceId"] == workspace.workspace_id
