"""The store's users: list, create (existing email returns the user), login link, get, update."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from sqlalchemy import select, update

from domain.accounts.models import Membership, User
from domain.accounts.tokens import verify_password
from domain.base import utcnow
from domain.errors import Unauthenticated
from domain.store.users import StoreUser, StoreUsersService
from resolvers.context import AppServices
from tests.store.conftest import auth, make_key, ok
from tests.support.factories import add_member

NOT_FOUND = {"message": "The API resource was not found"}


async def verify_login_link(services: AppServices, token: str) -> StoreUser:
    async with services.read() as session:
        return await StoreUsersService(session, services.tokens).verify_login_link(token)


async def test_create_list_get_update(client, h, workspace, services):
    body = {
        "email": "Jane@Example.com",
        "first_name": "Jane",
        "last_name": "Doe",
        "roles": ["admin"],
        "password": "s3cret-pass",
    }
    created = ok(await client.post("/api/users", headers=h, json=body), 201)["data"]
    # The document's shape.
    assert {k: created[k] for k in ("firstName", "lastName", "email", "roles")} == {
        "firstName": "Jane",
        "lastName": "Doe",
        "email": "jane@example.com",
        "roles": ["admin"],
    }
    assert created["newsletter"] is True  # defaults to true
    async with services.read() as session:
        user = (await session.execute(select(User).where(User.email == "jane@example.com"))).scalar_one()
        assert user.password_hash and verify_password("s3cret-pass", user.password_hash)

    listed = ok(await client.get("/api/users", headers=h))
    assert listed["meta"]["total"] == 2  # the owner and Jane
    assert {u["email"] for u in listed["data"]} >= {"jane@example.com"}
    assert ok(await client.get(f"/api/users/{created['id']}", headers=h))["data"]["email"] == "jane@example.com"

    updated = ok(
        await client.patch(
            f"/api/users/{created['id']}",
            headers=h,
            json={"first_name": "Janet", "email": "janet@example.com", "newsletter": False},
        )
    )["data"]
    assert (updated["firstName"], updated["lastName"], updated["email"], updated["newsletter"]) == (
        "Janet",
        "Doe",
        "janet@example.com",
        False,
    )


async def test_random_password_and_default_role(client, h, services):
    created = ok(await client.post("/api/users", headers=h, json={"email": "nopass@example.com"}), 201)["data"]
    assert created["roles"] == ["viewer"]
    async with services.read() as session:
        user = (await session.execute(select(User).where(User.id == created["id"]))).scalar_one()
    assert user.password_hash and user.password_hash.startswith("$argon2id$")  # the documented random one


async def test_existing_email_returns_existing_user_even_deleted(client, h, services, workspace):
    first = ok(await client.post("/api/users", headers=h, json={"email": "dup@example.com", "first_name": "A"}), 201)
    again = await client.post("/api/users", headers=h, json={"email": "DUP@example.com", "first_name": "B"})
    assert again.status_code == 200
    assert again.json()["data"]["id"] == first["data"]["id"] and again.json()["data"]["firstName"] == "A"
    # A deleted membership: the existing user comes back, still deleted (not silently restored).
    async with services.unit_of_work() as uow:
        await uow.session.execute(
            update(Membership)
            .where(Membership.user_id == first["data"]["id"], Membership.workspace_id == workspace.workspace_id)
            .values(deleted_at=utcnow())
        )
    r = await client.post("/api/users", headers=h, json={"email": "dup@example.com"})
    assert r.status_code == 200 and r.json()["data"]["id"] == first["data"]["id"]
    assert r.json()["data"]["deleted"] is True
    assert ok(await client.get("/api/users", headers=h))["meta"]["total"] == 1


async def test_a_user_of_another_store_joins_this_one(client, h, oh):
    created = ok(await client.post("/api/users", headers=oh, json={"email": "shared@example.com"}), 201)["data"]
    joined = await client.post("/api/users", headers=h, json={"email": "shared@example.com", "roles": ["staff"]})
    assert joined.status_code == 201 and joined.json()["data"]["id"] == created["id"]
    assert joined.json()["data"]["roles"] == ["staff"]
    # Their personal details belong to them across stores: one store cannot rewrite them for the other.
    r = await client.patch(f"/api/users/{created['id']}", headers=h, json={"email": "hijack@example.com"})
    assert r.status_code == 403 and "message" in r.json()
    # The newsletter consent is per store.
    ok(await client.patch(f"/api/users/{created['id']}", headers=h, json={"newsletter": False}))
    assert ok(await client.get(f"/api/users/{created['id']}", headers=oh))["data"]["newsletter"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ("x" * 250) + "@example.com"}, "email"),
        ({"email": 42}, "email"),
        ({"email": "a@example.com", "roles": ["emperor"]}, "roles"),
        ({"email": "a@example.com", "roles": "admin"}, "roles"),
        ({"email": "a@example.com", "newsletter": "often"}, "newsletter"),
        ({"email": "a@example.com", "first_name": "x" * 256}, "first_name"),
    ],
)
async def test_bad_user_input(client, h, body, field):
    r = await client.post("/api/users", headers=h, json=body)
    assert r.status_code == 422 and field in r.json()["errors"], r.text
    assert ok(await client.get("/api/users", headers=h))["meta"]["total"] == 1


async def test_update_email_taken(client, h):
    a = ok(await client.post("/api/users", headers=h, json={"email": "a@example.com"}), 201)["data"]
    ok(await client.post("/api/users", headers=h, json={"email": "b@example.com"}), 201)
    r = await client.patch(f"/api/users/{a['id']}", headers=h, json={"email": "b@example.com"})
    assert r.status_code == 422 and "email" in r.json()["errors"]
    r = await client.patch(f"/api/users/{a['id']}", headers=h, json={"email": "nope"})
    assert r.status_code == 422


async def test_login_link_is_a_verifiable_expiring_token(client, h, services, workspace):
    created = ok(await client.post("/api/users", headers=h, json={"email": "link@example.com"}), 201)["data"]
    body = ok(await client.get("/api/users/login-link?email=link@example.com", headers=h))
    link = body["data"]["loginLink"]
    url = urlparse(link)
    assert f"{url.scheme}://{url.netloc}" == "http://testserver" and url.path.startswith("/magiclink/")
    token = url.path.removeprefix("/magiclink/")
    member = await verify_login_link(services, token)
    assert member.user.id == created["id"] and member.membership.workspace_id == workspace.workspace_id
    # Tampering breaks it; so does time.
    with pytest.raises(Unauthenticated):
        await verify_login_link(services, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    expired = services.tokens.issue_login_link(created["id"], workspace.workspace_id, ttl_seconds=-120)
    with pytest.raises(Unauthenticated):
        await verify_login_link(services, expired)
    # An access token of the same member is no login link (each purpose has its own key and audience).
    access = services.tokens.issue_access_token(created["id"], workspace.workspace_id, 60)
    with pytest.raises(Unauthenticated):
        await verify_login_link(services, "swl_" + access)
    # The store's url setting wins over the request's base URL.
    ok(await client.patch("/api/settings/store", headers=h, json={"url": "https://store.example.com/"}))
    link = ok(await client.get("/api/users/login-link?email=link@example.com", headers=h))["data"]["loginLink"]
    assert link.startswith("https://store.example.com/magiclink/")


async def test_login_link_refusals(client, h, oh):
    r = await client.get("/api/users/login-link", headers=h)
    assert r.status_code == 422 and "email" in r.json()["errors"]
    r = await client.get("/api/users/login-link?email=ghost@example.com", headers=h)
    assert r.status_code == 422
    # A member of another store is not a user of this one.
    ok(await client.post("/api/users", headers=oh, json={"email": "theirs@example.com"}), 201)
    r = await client.get("/api/users/login-link?email=theirs@example.com", headers=h)
    assert r.status_code == 422


async def test_nobody_grants_more_than_they_hold(client, services, workspace):
    """A member created through the API could be logged in through a login link, so a key may neither create
    a member with more permissions than it holds nor issue a link for one."""
    narrow = await make_key(services, workspace, ["users:write"])
    r = await client.post("/api/users", headers=auth(narrow), json={"email": "v@example.com"})
    assert r.status_code == 403  # even a viewer reads more than this key does
    broad = await make_key(services, workspace, ["write"])
    r = await client.post("/api/users", headers=auth(broad), json={"email": "boss@example.com", "roles": ["owner"]})
    assert r.status_code == 403
    ok(await client.post("/api/users", headers=auth(broad), json={"email": "s@example.com", "roles": ["staff"]}), 201)
    owner_email = ok(await client.get("/api/users", headers=auth(broad)))["data"][0]["email"]
    r = await client.get(f"/api/users/login-link?email={owner_email}", headers=auth(broad))
    assert r.status_code == 403
    ok(await client.get("/api/users/login-link?email=s@example.com", headers=auth(broad)))
    # Several roles: the membership keeps the most powerful one.
    full = ok(
        await client.post(
            "/api/users", headers=auth(workspace.api_key), json={"email": "m@example.com", "roles": ["viewer", "admin"]}
        ),
        201,
    )["data"]
    assert full["roles"] == ["admin"]


async def test_users_are_isolated(client, h, oh, services, workspace):
    token = await add_member(services, workspace, "member@example.com", "staff")
    assert token
    mine = ok(await client.get("/api/users", headers=h))["data"]
    member_id = next(u["id"] for u in mine if u["email"] == "member@example.com")
    for method, kwargs in (("get", {}), ("patch", {"json": {"first_name": "x"}})):
        r = await getattr(client, method)(f"/api/users/{member_id}", headers=oh, **kwargs)
        assert r.status_code == 404 and r.json() == NOT_FOUND
    assert {u["email"] for u in ok(await client.get("/api/users", headers=oh))["data"]}.isdisjoint(
        {u["email"] for u in mine}
    )
    assert (await client.get("/api/users/999999", headers=h)).status_code == 404


async def test_concurrent_creates_of_one_email_make_one_user(client, h):
    import asyncio

    responses = await asyncio.gather(
        *(client.post("/api/users", headers=h, json={"email": "race@example.com"}) for _ in range(3)),
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 201], [r.text for r in responses]
    assert len({r.json()["data"]["id"] for r in responses}) == 1
