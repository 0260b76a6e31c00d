"""Identity and access (DESIGN §5): credentials, API keys, roles and permissions, on GraphQL and /v1/jobs."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.accounts.tokens import TokenService
from resolvers.context import AppServices
from tests.backbone.support import (
    ADD_MEMBER,
    CANCEL_JOB,
    CREATE_KEY,
    JOB,
    JOBS,
    REFRESH_TOKEN,
    REVOKE_KEY,
    VIEWER,
    WORKSPACE,
    all_rest_routes,
    api_key_rows,
    assert_forbidden,
    assert_rest_error,
    assert_unauthenticated,
    expire_key,
    make_key,
    remove_member,
    revoke_key,
    row_counts,
    user_id_of,
)
from tests.support.factories import WorkspaceInfo, add_member, create_job
from tests.support.graphql import gql
from tests.support.jobs import load_job, wait_for

TEST_SECRET = "test-secret-key"

# Every GraphQL entry point of the identity area, with variables that would succeed for an owner.
IDENTITY_OPERATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "viewer": (VIEWER, {}),
    "workspace": (WORKSPACE, {}),
    "createApiKey": (CREATE_KEY, {"input": {"name": "ci", "scopes": ["read"]}}),
    "revokeApiKey": (REVOKE_KEY, {"id": "QXBpS2V5OnNvbWV0aGluZw"}),
    "addMember": (ADD_MEMBER, {"email": "new@example.com", "role": "staff"}),
    "refreshAccessToken": (REFRESH_TOKEN, {}),
}


async def _viewer(client, token: str) -> dict[str, Any]:
    status, body = await gql(client, VIEWER, token=token)
    assert status == 200 and "errors" not in body, body
    viewer: dict[str, Any] = body["data"]["viewer"]
    return viewer


async def _create_key(client, token: str, **input_: Any) -> dict[str, Any]:
    status, body = await gql(client, CREATE_KEY, {"input": input_}, token=token)
    assert status == 200, body
    payload: dict[str, Any] = body["data"]["createApiKey"]
    return payload


# --- no credentials ------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(IDENTITY_OPERATIONS))
async def test_graphql_without_credentials_is_401_unauthenticated(client, services, workspace, operation):
    document, variables = IDENTITY_OPERATIONS[operation]
    before = await row_counts(services)
    status, body = await gql(client, document, variables)
    assert_unauthenticated(status, body)
    assert body["errors"][0]["path"] == [operation]
    assert await row_counts(services) == before


async def test_rest_jobs_without_credentials_is_401_code_message(client, services, workspace):
    job_id = await create_job(services, workspace, params={"steps": 1})
    for method, path in all_rest_routes(job_id):
        response = await client.request(method, path)
        assert_rest_error(response, 401, "unauthenticated")
        assert set(response.json()) == {"code", "message"}


# --- invalid credentials -------------------------------------------------------------------------

TokenMaker = Callable[[AppServices, WorkspaceInfo], Awaitable[str]]


async def _garbage(services: AppServices, ws: WorkspaceInfo) -> str:
    return "not-a-token"


async def _unknown_api_key(services: AppServices, ws: WorkspaceInfo) -> str:
    # The right shape and prefix, but no key with this hash exists.
    return ws.api_key[:-6] + ("aaaaaa" if not ws.api_key.endswith("aaaaaa") else "bbbbbb")


async def _expired_api_key(services: AppServices, ws: WorkspaceInfo) -> str:
    key = await make_key(services, ws, ["full"])
    await expire_key(services, key)
    return key


async def _revoked_api_key(services: AppServices, ws: WorkspaceInfo) -> str:
    key = await make_key(services, ws, ["full"])
    await revoke_key(services, ws, key)
    return key


async def _tampered_signature(services: AppServices, ws: WorkspaceInfo) -> str:
    token = ws.access_token
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


async def _tampered_payload(services: AppServices, ws: WorkspaceInfo) -> str:
    """The payload is changed to claim another user; the signature is the original one."""
    header, payload, signature = ws.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(int(claims["sub"]) + 1)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def _expired_access_token(services: AppServices, ws: WorkspaceInfo) -> str:
    return TokenService([TEST_SECRET]).issue_access_token(ws.owner_user_id, ws.workspace_id, -60)


async def _other_secret_access_token(services: AppServices, ws: WorkspaceInfo) -> str:
    return TokenService(["another-secret"]).issue_access_token(ws.owner_user_id, ws.workspace_id, 3600)


async def _removed_member(services: AppServices, ws: WorkspaceInfo) -> str:
    token = await add_member(services, ws, "leaver@example.com", "admin")
    await remove_member(services, ws.workspace_id, "leaver@example.com")
    return token


BAD_TOKENS: dict[str, tuple[TokenMaker, str]] = {
    "garbage": (_garbage, "invalid_token"),
    "unknown_api_key": (_unknown_api_key, "invalid_token"),
    "expired_api_key": (_expired_api_key, "token_expired"),
    "revoked_api_key": (_revoked_api_key, "token_revoked"),
    "tampered_signature": (_tampered_signature, "invalid_token"),
    "tampered_payload": (_tampered_payload, "invalid_token"),
    "expired_access_token": (_expired_access_token, "token_expired"),
    "access_token_of_another_secret": (_other_secret_access_token, "invalid_token"),
    "removed_member": (_removed_member, "token_revoked"),
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
async def test_invalid_credentials_are_401_everywhere(client, services, workspace, case):
    make_token, rest_code = BAD_TOKENS[case]
    token = await make_token(services, workspace)
    job_id = await create_job(services, workspace, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    before = await row_counts(services)

    for operation in sorted(IDENTITY_OPERATIONS):
        document, variables = IDENTITY_OPERATIONS[operation]
        status, body = await gql(client, document, variables, token=token)
        assert_unauthenticated(status, body)
    status, body = await gql(client, CANCEL_JOB, {"id": job_id}, token=token)
    assert_unauthenticated(status, body)

    for method, path in all_rest_routes(job_id):
        response = await client.request(method, path, headers={"Authorization": f"Bearer {token}"})
        assert_rest_error(response, 401, rest_code)
    # /v1 also takes x-api-key; a bad one is refused the same way.
    assert_rest_error(await client.get("/v1/jobs", headers={"x-api-key": token}), 401, rest_code)
    assert await row_counts(services) == before


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Token abc", "bearer  "])
async def test_malformed_authorization_header_is_401(client, workspace, header):
    response = await client.get("/v1/jobs", headers={"Authorization": header})
    assert_rest_error(response, 401, "invalid_token")
    response = await client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": header})
    assert_unauthenticated(response.status_code, response.json())


async def test_valid_credentials_work_on_both_surfaces(client, services, workspace):
    owner = await _viewer(client, workspace.access_token)
    assert owner["kind"] == "member" and owner["role"] == "owner" and owner["workspaceId"] == workspace.workspace_id
    key = await _viewer(client, workspace.api_key)
    assert key["kind"] == "api_key" and key["scopes"] == ["full"] and key["role"] is None
    for headers in (
        workspace.headers(),
        workspace.headers(workspace.access_token),
        {"x-api-key": workspace.api_key},
    ):
        response = await client.get("/v1/jobs", headers=headers)
        assert response.status_code == 200, response.text


# --- API keys ------------------------------------------------------------------------------------


async def test_api_key_secret_is_shown_once_and_stored_hashed(client, services, workspace):
    payload = await _create_key(client, workspace.access_token, name="Reporting", scopes=["read"])
    assert payload["userErrors"] == []
    secret, key = payload["secret"], payload["apiKey"]
    assert secret.startswith("swk_") and key["prefix"].startswith("swk_")
    assert secret.startswith(key["prefix"]) and len(secret) > len(key["prefix"]) + 30
    assert key["name"] == "Reporting" and key["scopes"] == ["read"]

    # Later reads show the prefix only.
    status, body = await gql(client, WORKSPACE, token=workspace.access_token)
    assert status == 200, body
    listed = {k["id"]: k for k in body["data"]["workspace"]["apiKeys"]}
    assert listed[key["id"]]["prefix"] == key["prefix"]
    assert secret not in json.dumps(body)
    status, body = await gql(client, "{ workspace { apiKeys { secret } } }", token=workspace.access_token)
    assert "errors" in body and body.get("data") is None, body

    # The database holds a SHA-256 hash, never the plaintext (nor its secret part).
    rows = [r for r in await api_key_rows(services) if r["prefix"] == key["prefix"]]
    assert len(rows) == 1
    row = rows[0]
    assert row["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    secret_part = secret.removeprefix(key["prefix"] + "_")
    for value in row.values():
        assert secret not in str(value) and secret_part not in str(value)

    # And the secret works as a credential with the scopes it was given.
    viewer = await _viewer(client, secret)
    assert viewer["kind"] == "api_key" and viewer["scopes"] == ["read"]


async def test_api_key_expiry_is_honoured(client, services, workspace):
    expires = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    payload = await _create_key(
        client, workspace.access_token, name="Temp", scopes=["read"], expiresAt=expires.isoformat()
    )
    assert payload["userErrors"] == []
    assert datetime.fromisoformat(payload["apiKey"]["expiresAt"]) == expires
    secret = payload["secret"]
    assert (await _viewer(client, secret))["kind"] == "api_key"

    await expire_key(services, secret)
    status, body = await gql(client, VIEWER, token=secret)
    assert_unauthenticated(status, body)
    assert_rest_error(await client.get("/v1/jobs", headers={"Authorization": f"Bearer {secret}"}), 401, "token_expired")


@pytest.mark.parametrize(
    ("expires_at", "message"),
    [
        ((datetime.now(UTC) - timedelta(minutes=1)).isoformat(), "future"),
        ("2099-01-01T00:00:00", "timezone"),
    ],
)
async def test_api_key_expiry_must_be_a_future_aware_time(client, services, workspace, expires_at, message):
    before = await row_counts(services)
    payload = await _create_key(client, workspace.access_token, name="Bad", scopes=["read"], expiresAt=expires_at)
    assert payload["secret"] is None and payload["apiKey"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("expiresAt", "INVALID_INPUT")]
    assert message in payload["userErrors"][0]["message"]
    assert await row_counts(services) == before


async def test_api_key_can_be_revoked(client, services, workspace):
    payload = await _create_key(client, workspace.access_token, name="Old", scopes=["full"])
    secret, key_id = payload["secret"], payload["apiKey"]["id"]
    assert (await _viewer(client, secret))["kind"] == "api_key"

    status, body = await gql(client, REVOKE_KEY, {"id": key_id}, token=workspace.access_token)
    assert status == 200, body
    revoked = body["data"]["revokeApiKey"]
    assert revoked["userErrors"] == [] and revoked["apiKey"]["revokedAt"] is not None

    status, body = await gql(client, VIEWER, token=secret)
    assert_unauthenticated(status, body)
    assert_rest_error(await client.get("/v1/jobs", headers={"Authorization": f"Bearer {secret}"}), 401, "token_revoked")

    # Revoking twice is harmless and keeps the first revocation time; the listing shows it revoked.
    status, body = await gql(client, REVOKE_KEY, {"id": key_id}, token=workspace.access_token)
    assert body["data"]["revokeApiKey"]["apiKey"]["revokedAt"] == revoked["apiKey"]["revokedAt"]
    status, body = await gql(client, WORKSPACE, token=workspace.access_token)
    listed = {k["id"]: k for k in body["data"]["workspace"]["apiKeys"]}
    assert listed[key_id]["revokedAt"] == revoked["apiKey"]["revokedAt"]
    # Other keys are untouched.
    assert (await _viewer(client, workspace.api_key))["kind"] == "api_key"


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        (["products:read"], {"store.products.read"}),
        (["products:write"], {"store.products.read", "store.products.manage"}),
        (["jobs:read", "media:write"], {"jobs.jobs.read", "media.media.read", "media.media.manage"}),
    ],
)
async def test_per_resource_scopes_grant_exactly_that_resource(client, workspace, scopes, expected):
    payload = await _create_key(client, workspace.access_token, name="Narrow", scopes=scopes)
    assert payload["userErrors"] == [] and payload["apiKey"]["scopes"] == scopes
    viewer = await _viewer(client, payload["secret"])
    assert set(viewer["permissions"]) == expected


async def test_full_read_and_write_scopes(client, workspace):
    full = set((await _viewer(client, workspace.api_key))["permissions"])
    owner = set((await _viewer(client, workspace.access_token))["permissions"])
    assert full == owner and "workspace.billing.manage" in full and "store.products.manage" in full

    read_key = (await _create_key(client, workspace.api_key, name="r", scopes=["read"]))["secret"]
    read = set((await _viewer(client, read_key))["permissions"])
    assert read and all(p.endswith(".read") for p in read) and "jobs.jobs.read" in read
    assert read == {p for p in full if p.endswith(".read")}

    write_key = (await _create_key(client, workspace.api_key, name="w", scopes=["write"]))["secret"]
    write = set((await _viewer(client, write_key))["permissions"])
    assert {"store.products.manage", "jobs.jobs.manage", "content.content.manage"} <= write
    assert not {p for p in write if p.startswith("workspace.") and p.endswith(".manage")}
    assert read < write < full


async def test_scopes_are_normalised(client, workspace):
    payload = await _create_key(client, workspace.api_key, name="n", scopes=[" Products:Read", "products:read"])
    assert payload["userErrors"] == [] and payload["apiKey"]["scopes"] == ["products:read"]


@pytest.mark.parametrize(
    "scopes",
    [[], ["admin"], ["products"], ["products:delete"], ["unicorns:read"], ["read", "jobs:manage"], [":read"]],
)
async def test_invalid_scopes_are_user_errors_and_nothing_is_written(client, services, workspace, scopes):
    before = await row_counts(services)
    payload = await _create_key(client, workspace.access_token, name="Bad", scopes=scopes)
    assert payload["secret"] is None and payload["apiKey"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("scopes", "INVALID_INPUT")], payload
    assert await row_counts(services) == before


@pytest.mark.parametrize("name", ["", "   ", "x" * 256])
async def test_api_key_name_is_validated(client, services, workspace, name):
    before = await row_counts(services)
    payload = await _create_key(client, workspace.access_token, name=name, scopes=["read"])
    assert payload["secret"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("name", "INVALID_INPUT")]
    assert await row_counts(services) == before


async def test_a_key_cannot_grant_more_than_its_creator_holds(client, services, workspace):
    admin = await add_member(services, workspace, "admin@example.com", "admin")
    before = await row_counts(services)
    payload = await _create_key(client, admin, name="Too much", scopes=["full"])
    assert payload["secret"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("scopes", "INVALID_INPUT")]
    assert "more than" in payload["userErrors"][0]["message"]
    assert await row_counts(services) == before
    # What the admin does hold can be granted.
    payload = await _create_key(client, admin, name="Enough", scopes=["write", "members:write", "keys:write"])
    assert payload["userErrors"] == [] and payload["secret"].startswith("swk_")


# --- roles and permissions -----------------------------------------------------------------------


async def _member(client, services, ws: WorkspaceInfo, role: str) -> tuple[str, set[str]]:
    token = await add_member(services, ws, f"{role}@example.com", role)
    viewer = await _viewer(client, token)
    assert viewer["kind"] == "member" and viewer["role"] == role
    assert viewer["user"] == {"email": f"{role}@example.com"}
    return token, set(viewer["permissions"])


async def test_role_permission_sets(client, services, workspace):
    _, viewer = await _member(client, services, workspace, "viewer")
    _, staff = await _member(client, services, workspace, "staff")
    _, admin = await _member(client, services, workspace, "admin")
    owner = set((await _viewer(client, workspace.access_token))["permissions"])

    assert viewer and all(p.endswith(".read") for p in viewer)
    assert {"jobs.jobs.read", "store.products.read", "workspace.keys.read"} <= viewer

    assert {"store.products.manage", "jobs.jobs.manage", "content.content.manage", "media.media.manage"} <= staff
    staff_never = {
        "workspace.keys.manage",
        "workspace.members.manage",
        "workspace.billing.manage",
        "store.settings.manage",
        "store.users.manage",
    }
    assert not staff & staff_never

    assert {"workspace.keys.manage", "workspace.members.manage", "store.settings.manage"} <= admin
    assert "workspace.billing.manage" not in admin
    assert "workspace.billing.manage" in owner

    assert viewer < staff < admin < owner


async def test_viewer_reads_jobs_but_cannot_cancel_or_manage(client, services, workspace):
    token, _ = await _member(client, services, workspace, "viewer")
    job_id = await create_job(services, workspace, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})

    status, body = await gql(client, JOB, {"id": job_id}, token=token)
    assert status == 200 and body["data"]["job"]["jobId"] == job_id, body
    status, body = await gql(client, JOBS, token=token)
    assert status == 200 and body["data"]["jobs"]["totalCount"] == 1, body
    for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/events", f"/v1/jobs/{job_id}/callbacks", "/v1/jobs"):
        response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, (path, response.text)

    before = await row_counts(services)
    last_seq = (await load_job(services, job_id)).last_seq
    status, body = await gql(client, CANCEL_JOB, {"id": job_id}, token=token)
    assert_forbidden(status, body)
    response = await client.post(f"/v1/jobs/{job_id}/cancel", headers={"Authorization": f"Bearer {token}"})
    assert_rest_error(response, 403, "forbidden")
    for document, variables in (
        (CREATE_KEY, {"input": {"name": "v", "scopes": ["read"]}}),
        (ADD_MEMBER, {"email": "x@example.com", "role": "viewer"}),
        (REVOKE_KEY, {"id": "whatever"}),
    ):
        status, body = await gql(client, document, variables, token=token)
        assert_forbidden(status, body)
    assert (await load_job(services, job_id)).last_seq == last_seq
    assert await row_counts(services) == before


async def test_staff_manages_jobs_but_not_keys_or_members(client, services, workspace):
    token, _ = await _member(client, services, workspace, "staff")
    job_id = await create_job(services, workspace, params={"steps": 200, "delay": 0.05})
    await wait_for(services, job_id, {"processing"})
    status, body = await gql(client, CANCEL_JOB, {"id": job_id}, token=token)
    assert status == 200 and body["data"]["cancelJob"]["userErrors"] == [], body
    assert body["data"]["cancelJob"]["job"]["cancelRequested"] is True
    await wait_for(services, job_id, {"cancelled"})

    before = await row_counts(services)
    status, body = await gql(client, CREATE_KEY, {"input": {"name": "s", "scopes": ["products:read"]}}, token=token)
    assert_forbidden(status, body)
    status, body = await gql(client, ADD_MEMBER, {"email": "y@example.com", "role": "viewer"}, token=token)
    assert_forbidden(status, body)
    status, body = await gql(client, WORKSPACE, token=workspace.access_token)
    key_id = body["data"]["workspace"]["apiKeys"][0]["id"]
    status, body = await gql(client, REVOKE_KEY, {"id": key_id}, token=token)
    assert_forbidden(status, body)
    assert await row_counts(services) == before
    assert (await _viewer(client, workspace.api_key))["kind"] == "api_key"  # not revoked


async def test_admin_manages_keys_and_members_but_only_an_owner_adds_an_owner(client, services, workspace):
    token, _ = await _member(client, services, workspace, "admin")
    payload = await _create_key(client, token, name="By admin", scopes=["write"])
    assert payload["userErrors"] == []
    status, body = await gql(client, REVOKE_KEY, {"id": payload["apiKey"]["id"]}, token=token)
    assert body["data"]["revokeApiKey"]["apiKey"]["revokedAt"] is not None, body

    status, body = await gql(client, ADD_MEMBER, {"email": "Staffer@Example.com", "role": "staff"}, token=token)
    assert status == 200
    assert body["data"]["addMember"] == {
        "member": {"role": "staff", "user": {"email": "staffer@example.com"}},
        "userErrors": [],
    }, body

    before = await row_counts(services)
    _status, body = await gql(client, ADD_MEMBER, {"email": "boss@example.com", "role": "owner"}, token=token)
    result = body["data"]["addMember"]
    assert result["member"] is None
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [("role", "INVALID_INPUT")]
    assert await row_counts(services) == before

    owner_token = workspace.access_token
    _, body = await gql(client, ADD_MEMBER, {"email": "boss@example.com", "role": "owner"}, token=owner_token)
    assert body["data"]["addMember"]["member"]["role"] == "owner", body


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("someone@example.com", "superuser", "role"), ("not-an-email", "staff", "email"), ("", "viewer", "email")],
)
async def test_add_member_input_is_validated(client, services, workspace, email, role, field):
    before = await row_counts(services)
    _, body = await gql(client, ADD_MEMBER, {"email": email, "role": role}, token=workspace.access_token)
    result = body["data"]["addMember"]
    assert result["member"] is None
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [(field, "INVALID_INPUT")]
    assert await row_counts(services) == before


async def test_read_scoped_key_is_403_for_writes(client, services, workspace):
    key = await make_key(services, workspace, ["read"])
    job_id = await create_job(services, workspace, params={"steps": 1})
    await wait_for(services, job_id, {"completed"})
    assert (await client.get(f"/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {key}"})).status_code == 200

    before = await row_counts(services)
    status, body = await gql(client, CANCEL_JOB, {"id": job_id}, token=key)
    assert_forbidden(status, body)
    assert body["errors"][0]["message"] == "This token does not have write access."
    response = await client.post(f"/v1/jobs/{job_id}/cancel", headers={"Authorization": f"Bearer {key}"})
    assert_rest_error(response, 403, "forbidden")
    assert response.json()["message"] == "This token does not have write access."
    status, body = await gql(client, CREATE_KEY, {"input": {"name": "r", "scopes": ["read"]}}, token=key)
    assert_forbidden(status, body)
    status, body = await gql(client, ADD_MEMBER, {"email": "z@example.com", "role": "viewer"}, token=key)
    assert_forbidden(status, body)
    assert await row_counts(services) == before


async def test_products_read_key_cannot_read_jobs(client, services, workspace):
    key = await make_key(services, workspace, ["products:read"])
    job_id = await create_job(services, workspace, params={"steps": 1})
    for document, variables in ((JOB, {"id": job_id}), (JOBS, {})):
        status, body = await gql(client, document, variables, token=key)
        assert_forbidden(status, body)
    for method, path in all_rest_routes(job_id):
        response = await client.request(method, path, headers={"Authorization": f"Bearer {key}"})
        assert_rest_error(response, 403, "forbidden")
    # ... while the same job id with a jobs:read key is readable.
    reader = await make_key(services, workspace, ["jobs:read"])
    assert (await client.get(f"/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {reader}"})).status_code == 200


# --- access tokens -------------------------------------------------------------------------------


async def test_refresh_access_token_for_members_only(client, services, workspace):
    _status, body = await gql(client, REFRESH_TOKEN, token=workspace.access_token)
    payload = body["data"]["refreshAccessToken"]
    assert payload["userErrors"] == [] and payload["accessToken"].count(".") == 2, body
    viewer = await _viewer(client, payload["accessToken"])
    assert viewer["kind"] == "member" and viewer["role"] == "owner"

    _, body = await gql(client, REFRESH_TOKEN, token=workspace.api_key)
    payload = body["data"]["refreshAccessToken"]
    assert payload["accessToken"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_INPUT"]


async def test_refresh_follows_the_membership(client, services, workspace):
    token = await add_member(services, workspace, "mover@example.com", "viewer")
    # A role change takes effect on the next request, not at the next token.
    await add_member(services, workspace, "mover@example.com", "staff")
    assert (await _viewer(client, token))["role"] == "staff"
    await remove_member(services, workspace.workspace_id, "mover@example.com")
    status, body = await gql(client, REFRESH_TOKEN, token=token)
    assert_unauthenticated(status, body)
    assert await user_id_of(services, "mover@example.com") > 0  # the user remains; only the membership went
