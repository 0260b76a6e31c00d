"""Helpers shared by the backbone tests: GraphQL documents, direct database edits, row counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update

from domain.accounts.models import ApiKey, Membership, User
from domain.accounts.tokens import hash_api_key
from domain.base import utcnow
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo

VIEWER = "{ viewer { kind role scopes permissions workspaceId user { email } } }"
WORKSPACE = "{ workspace { name workspaceId apiKeys { id name prefix scopes expiresAt revokedAt } } }"
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey { id name prefix scopes expiresAt revokedAt }
    userErrors { field code message }
  }
}"""
REVOKE_KEY = """
mutation($id: ID!) {
  revokeApiKey(id: $id) { apiKey { id prefix revokedAt } userErrors { field code message } }
}"""
ADD_MEMBER = """
mutation($email: String!, $role: String!) {
  addMember(email: $email, role: $role) { member { role user { email } } userErrors { field code message } }
}"""
REFRESH_TOKEN = "mutation { refreshAccessToken { accessToken userErrors { field code message } } }"
CANCEL_JOB = """
mutation($id: ID!) {
  cancelJob(id: $id) { job { id jobId status cancelRequested } userErrors { field code message } }
}"""
JOB = "query($id: ID!) { job(id: $id) { id jobId kind status } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Job { jobId } } }"
JOBS = """
query($first: Int! = 20, $after: String, $kinds: [String!], $statuses: [JobStatus!]) {
  jobs(first: $first, after: $after, filter: {kinds: $kinds, statuses: $statuses}) {
    totalCount
    edges { cursor node { id jobId } }
    pageInfo { hasNextPage endCursor }
  }
}"""

TABLES = (
    "workspaces",
    "users",
    "memberships",
    "api_keys",
    "credit_entries",
    "jobs",
    "job_events",
    "callback_deliveries",
    "callback_attempts",
)


def job_routes(job_id: str) -> list[tuple[str, str]]:
    """Every REST route of /v1/jobs that names one job."""
    return [
        ("GET", f"/v1/jobs/{job_id}"),
        ("POST", f"/v1/jobs/{job_id}/cancel"),
        ("GET", f"/v1/jobs/{job_id}/events"),
        ("GET", f"/v1/jobs/{job_id}/callbacks"),
    ]


def all_rest_routes(job_id: str) -> list[tuple[str, str]]:
    return [("GET", "/v1/jobs"), *job_routes(job_id)]


async def row_counts(services: AppServices) -> dict[str, int]:
    async with services.read() as session:
        return {t: int((await session.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in TABLES}


async def make_key(services: AppServices, ws: WorkspaceInfo, scopes: list[str], name: str = "test key") -> str:
    """An API key created through the service by the workspace's owner; returns the plaintext."""
    async with services.unit_of_work() as uow:
        created = await services.accounts(uow.session).create_api_key(ws.principal, name=name, scopes=scopes)
    return created.plaintext


async def expire_key(services: AppServices, plaintext: str) -> None:
    """The service refuses a past expiry, so move it into the past directly."""
    async with services.unit_of_work() as uow:
        await uow.session.execute(
            update(ApiKey)
            .where(ApiKey.key_hash == hash_api_key(plaintext))
            .values(expires_at=utcnow() - timedelta(seconds=5))
        )


async def revoke_key(services: AppServices, ws: WorkspaceInfo, plaintext: str) -> None:
    async with services.unit_of_work() as uow:
        key = (await uow.session.execute(select(ApiKey).where(ApiKey.key_hash == hash_api_key(plaintext)))).scalar_one()
        await services.accounts(uow.session).revoke_api_key(ws.principal, key.id)


async def user_id_of(services: AppServices, email: str) -> int:
    async with services.read() as session:
        return int((await session.execute(select(User.id).where(User.email == email))).scalar_one())


async def remove_member(services: AppServices, workspace_id: str, email: str) -> None:
    user_id = await user_id_of(services, email)
    async with services.unit_of_work() as uow:
        await uow.session.execute(
            update(Membership)
            .where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
            .values(deleted_at=utcnow())
        )


async def api_key_rows(services: AppServices) -> list[dict[str, Any]]:
    async with services.read() as session:
        result = await session.execute(text("SELECT * FROM api_keys"))
        return [dict(row._mapping) for row in result]


def codes(body: dict[str, Any]) -> set[str | None]:
    return {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}


def assert_unauthenticated(status: int, body: dict[str, Any]) -> None:
    assert status == 401, body
    assert body["data"] is None, body
    assert codes(body) == {"UNAUTHENTICATED"}, body


def assert_forbidden(status: int, body: dict[str, Any]) -> None:
    assert status == 403, body
    assert body["data"] is None, body
    assert codes(body) == {"FORBIDDEN"}, body


def assert_rest_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) >= {"code", "message"} and body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
