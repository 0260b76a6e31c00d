"""Sessions that end when access ends: an open WebSocket whose key is revoked or expires, whose member is
removed or demoted, is closed with 4403 within the check interval — not at the next reconnect."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import select
from starlette.routing import WebSocketRoute

from domain.accounts.models import ApiKey
from domain.accounts.tokens import hash_api_key
from domain.db import Database
from resolvers.live_sessions import LiveSessions
from tests.backbone.support import CREATE_KEY, REVOKE_KEY, expire_key, make_key, remove_member, revoke_key
from tests.support.factories import add_member, create_job, make_workspace
from tests.support.graphql import LegacyWS, TransportWS, _recv, gql
from tests.support.jobs import wait_for
from tests.support.statements import counting

CHECK_SECONDS = 0.2
CLOSE_WITHIN = 5.0  # many check intervals: a shared, busy machine still closes well within it
EVENTS = "subscription { jobEvents { rawJobId seq status } }"
PROTOCOLS: list[type[TransportWS] | type[LegacyWS]] = [TransportWS, LegacyWS]


@pytest.fixture
def settings(settings_factory):
    return settings_factory(ws_access_check_seconds=CHECK_SECONDS)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def open_events(url: str, protocol: type[TransportWS | LegacyWS], payload: dict[str, Any] | None) -> Any:
    """A connection of ``protocol`` subscribed to the workspace's job events (op id "1")."""
    ws = await protocol.connect(url, payload)
    if isinstance(ws, TransportWS):
        await ws.subscribe(EVENTS)
    else:
        await ws.start("1", EVENTS)
    return ws


async def close_frame(ws: Any, within: float = CLOSE_WITHIN) -> websockets.frames.Close:
    """The close frame the server sends, reading (and dropping) whatever comes before it."""
    async with asyncio.timeout(within):
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await ws.ws.recv()
    frame = closed.value.rcvd
    assert frame is not None, closed.value
    return frame


async def stays_open(ws: Any, seconds: float) -> None:
    """Reads (and drops) messages for ``seconds``; fails if the server closes the connection meanwhile."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                await ws.ws.recv()


async def next_event(ws: Any) -> dict[str, Any]:
    """The next job event of the subscription ``open_events`` started."""
    while True:
        message = await _recv(ws.ws)
        if message.get("id") == "1":
            assert message["type"] in ("next", "data"), message
            event: dict[str, Any] = message["payload"]["data"]["jobEvents"]
            return event


async def events_until_completed(ws: Any, job_id: str) -> list[dict[str, Any]]:
    """The job events a connection receives until ``job_id`` completes."""
    received = []
    async with asyncio.timeout(20):
        while True:
            event = await next_event(ws)
            received.append(event)
            if event["rawJobId"] == job_id and event["status"] == "COMPLETED":
                return received


def assert_closed_for_access(frame: websockets.frames.Close) -> None:
    assert (frame.code, frame.reason) == (4403, "Forbidden: access revoked"), frame


def server_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING]


@contextlib.asynccontextmanager
async def http(live_server: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        yield client


# --- the batched re-check -----------------------------------------------------------------------


async def test_recheck_names_each_tokens_caller_now_in_two_statements(services, workspace):
    tokens = services.tokens
    keys = [await make_key(services, workspace, ["read"], name=f"key {i}") for i in range(6)]
    revoked, expired = keys[-2:]
    await revoke_key(services, workspace, revoked)
    await expire_key(services, expired)
    members = [await add_member(services, workspace, f"member{i}@example.com", "staff") for i in range(4)]
    removed = members[-1]
    await remove_member(services, workspace.workspace_id, "member3@example.com")
    demoted = members[0]
    await add_member(services, workspace, "member0@example.com", "viewer")
    other = await make_workspace(services, name="Other")
    stale = tokens.issue_access_token(workspace.owner_user_id, workspace.workspace_id, -120)  # past the leeway
    foreign = tokens.issue_access_token(workspace.owner_user_id, other.workspace_id, 3600)  # no such membership
    nonsense = ["swk_00000000_unknown", "not a token", "a.b.c", "swt_forged.signature", ""]

    counts = []
    for batch in ([keys[0], members[1]], [*keys, *members, workspace.access_token, stale, foreign, *nonsense]):
        async with services.read() as session:
            with counting(services) as statements:
                found = await services.accounts(session).recheck(batch)
        assert set(found) == set(batch)
        counts.append(len(statements))
    assert counts == [2, 2], counts

    assert all(found[k] is not None and found[k].scopes == ("read",) for k in keys[:4])
    assert found[revoked] is None and found[expired] is None
    assert found[removed] is None and found[stale] is None and found[foreign] is None
    assert all(found[t] is None for t in nonsense)
    assert found[demoted] is not None and found[demoted].role == "viewer"
    assert all(found[t] is not None and found[t].role == "staff" for t in members[1:3])
    owner = found[workspace.access_token]
    assert owner is not None and (owner.workspace_id, owner.user_id, owner.role) == (
        workspace.workspace_id,
        workspace.owner_user_id,
        "owner",
    )
    async with services.read() as session:
        # The same callers authentication finds, built in the same place.
        for token in [keys[0], members[1], workspace.access_token, demoted]:
            assert await services.accounts(session).authenticate(token) == found[token]


async def test_recheck_of_nothing_costs_nothing(services):
    async with services.read() as session:
        with counting(services) as statements:
            assert await services.accounts(session).recheck([]) == {}
    assert statements == []


# --- live connections -------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=["graphql-transport-ws", "graphql-ws"])
async def test_a_revoked_key_closes_its_streaming_socket(live_server, protocol, caplog):
    caplog.set_level(logging.WARNING)
    services = live_server.services
    workspace = await make_workspace(services)
    async with http(live_server) as client:
        create = {"input": {"name": "socket", "scopes": ["read"]}}
        status, body = await gql(client, CREATE_KEY, create, workspace.api_key)
        assert status == 200, body
        created = body["data"]["createApiKey"]
        ws = await open_events(live_server.ws_url, protocol, bearer(created["secret"]))
        try:
            # Events are flowing when the key is revoked, and go on after the close: nothing is sent on it.
            job = await create_job(services, workspace, params={"steps": 100, "delay": 0.01})
            async with asyncio.timeout(20):
                while (await next_event(ws))["rawJobId"] != job:
                    pass
            status, body = await gql(client, REVOKE_KEY, {"id": created["apiKey"]["id"]}, workspace.api_key)
            assert status == 200 and body["data"]["revokeApiKey"]["userErrors"] == [], body
            assert_closed_for_access(await close_frame(ws))
        finally:
            await ws.close()
        await wait_for(services, job, {"completed"})
        assert (await client.get("/healthz")).status_code == 200
    assert server_errors(caplog) == []


async def test_sockets_whose_client_leaves_as_access_ends_close_quietly(live_server, caplog):
    caplog.set_level(logging.WARNING)
    services = live_server.services
    workspace = await make_workspace(services)
    key = await make_key(services, workspace, ["read"])
    sockets = [await open_events(live_server.ws_url, PROTOCOLS[i % 2], bearer(key)) for i in range(6)]
    try:
        await revoke_key(services, workspace, key)
        for ws in sockets[::2]:
            ws.ws.transport.abort()  # gone without a closing handshake, before or after the check: either way
        for ws in sockets[1::2]:
            assert_closed_for_access(await close_frame(ws))
        async with http(live_server) as client:
            assert (await client.get("/healthz")).status_code == 200
    finally:
        for ws in sockets:
            await ws.close()
    assert server_errors(caplog) == []


async def test_an_expired_key_closes_its_socket(live_server):
    services = live_server.services
    workspace = await make_workspace(services)
    key = await make_key(services, workspace, ["full"])
    ws = await open_events(live_server.ws_url, TransportWS, bearer(key))
    try:
        await stays_open(ws, 3 * CHECK_SECONDS)
        await expire_key(services, key)
        assert_closed_for_access(await close_frame(ws))
    finally:
        await ws.close()


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=["graphql-transport-ws", "graphql-ws"])
async def test_a_removed_member_s_socket_closes(live_server, protocol):
    services = live_server.services
    workspace = await make_workspace(services)
    token = await add_member(services, workspace, "leaving@example.com", "staff")
    ws = await open_events(live_server.ws_url, protocol, bearer(token))
    try:
        await stays_open(ws, 3 * CHECK_SECONDS)
        await remove_member(services, workspace.workspace_id, "leaving@example.com")
        assert_closed_for_access(await close_frame(ws))
    finally:
        await ws.close()


async def test_a_demoted_member_s_socket_closes_a_promoted_one_stays(live_server):
    services = live_server.services
    workspace = await make_workspace(services)
    demoted = await add_member(services, workspace, "demoted@example.com", "admin")
    promoted = await add_member(services, workspace, "promoted@example.com", "viewer")
    # The token under another of the names connection_init accepts.
    demoted_ws = await open_events(live_server.ws_url, TransportWS, {"authToken": demoted})
    promoted_ws = await open_events(live_server.ws_url, TransportWS, {"authToken": promoted})
    try:
        await add_member(services, workspace, "promoted@example.com", "admin")
        await add_member(services, workspace, "demoted@example.com", "viewer")
        assert_closed_for_access(await close_frame(demoted_ws))
        await stays_open(promoted_ws, 5 * CHECK_SECONDS)
        job = await create_job(services, workspace, params={"steps": 2})
        assert (await events_until_completed(promoted_ws, job))[-1]["status"] == "COMPLETED"
    finally:
        await demoted_ws.close()
        await promoted_ws.close()


async def test_only_the_sockets_whose_access_ended_close(live_server):
    services = live_server.services
    workspace = await make_workspace(services)
    kept, revoked = await make_key(services, workspace, ["read"]), await make_key(services, workspace, ["read"])
    kept_ws = await open_events(live_server.ws_url, TransportWS, bearer(kept))
    # Two connections with the one key (one token to check), and the owner's access token.
    revoked_ws = [await open_events(live_server.ws_url, p, bearer(revoked)) for p in PROTOCOLS]
    member_ws = await open_events(live_server.ws_url, LegacyWS, bearer(workspace.access_token))
    try:
        await revoke_key(services, workspace, revoked)
        for ws in revoked_ws:
            assert_closed_for_access(await close_frame(ws))
        # Open across several more checks, and still streaming.
        await stays_open(kept_ws, 5 * CHECK_SECONDS)
        job = await create_job(services, workspace, params={"steps": 2})
        for ws in (kept_ws, member_ws):
            events = await events_until_completed(ws, job)
            assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    finally:
        for ws in (kept_ws, member_ws, *revoked_ws):
            await ws.close()


async def test_a_connection_without_credentials_is_left_alone(live_server):
    services = live_server.services
    workspace = await make_workspace(services)
    anonymous = await TransportWS.connect(live_server.ws_url)
    watched = await open_events(live_server.ws_url, TransportWS, bearer(workspace.api_key))
    try:
        await revoke_key(services, workspace, workspace.api_key)
        assert_closed_for_access(await close_frame(watched))
        await stays_open(anonymous, 5 * CHECK_SECONDS)
        # Still answering: each operation refuses on its own.
        messages = await anonymous.messages(await anonymous.subscribe(EVENTS))
        assert [m["type"] for m in messages] == ["next", "complete"], messages
        assert [e["extensions"]["code"] for e in messages[0]["payload"]["errors"]] == ["UNAUTHENTICATED"]
    finally:
        await anonymous.close()
        await watched.close()


async def test_a_check_that_fails_closes_nothing_and_the_next_one_works(live_server, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    services = live_server.services
    workspace = await make_workspace(services)
    key = await make_key(services, workspace, ["read"])
    ws = await open_events(live_server.ws_url, TransportWS, bearer(key))
    working = services.db
    unreachable = Database(f"sqlite+aiosqlite:///{tmp_path / 'no-such-directory' / 'shopwright.db'}")
    try:
        services.db = unreachable  # what the checks read through: every one fails now
        async with working.unit_of_work(services.dispatcher) as uow:
            row = (await uow.session.execute(select(ApiKey).where(ApiKey.key_hash == hash_api_key(key)))).scalar_one()
            await services.accounts(uow.session).revoke_api_key(workspace.principal, row.id)
        await stays_open(ws, 5 * CHECK_SECONDS)
        failures = [r for r in caplog.records if r.name == "shopwright.graphql" and r.levelno >= logging.WARNING]
        assert failures and failures[0].exc_info is not None, server_errors(caplog)
        services.db = working
        assert_closed_for_access(await close_frame(ws))
    finally:
        services.db = working
        await unreachable.dispose()
        await ws.close()


async def test_connections_that_end_are_forgotten(live_server):
    services = live_server.services
    workspace = await make_workspace(services)
    route = next(r for r in live_server.app.routes if isinstance(r, WebSocketRoute))
    watched: LiveSessions = route.app.live_sessions  # type: ignore[attr-defined]
    sockets = [await open_events(live_server.ws_url, p, bearer(workspace.api_key)) for p in PROTOCOLS]
    anonymous = await TransportWS.connect(live_server.ws_url)
    assert len(watched) == 2
    for ws in (*sockets, anonymous):
        await ws.close()
    async with asyncio.timeout(CLOSE_WITHIN):  # each server handler ends once it sees its client leave
        while True:
            if not len(watched):
                return
            await asyncio.sleep(0.02)
