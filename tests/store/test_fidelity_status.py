"""``GET /api/store/status`` answers whether the store is online, as the document says: with a key of the
store, its ``live`` setting; without a key (no store named: one service hosts many), whether the service and
its database answer. It stays public: a key of any permission will do, a key that names no store is refused."""

from __future__ import annotations

import httpx

from tests.store.conftest import UA, auth, make_key, ok


async def _status(client: httpx.AsyncClient, headers: dict[str, str]) -> object:
    return ok(await client.get("/api/store/status", headers=headers))


async def test_status_follows_the_stores_live_setting(client, h, oh, services, workspace):
    assert await _status(client, h) == {"data": {"up": True}}
    ok(await client.patch("/api/settings/store", headers=h, json={"live": False}))
    assert await _status(client, h) == {"data": {"up": False}}
    # Another store, and the service itself, are not offline because this store is.
    assert await _status(client, oh) == {"data": {"up": True}}
    assert await _status(client, UA) == {"data": {"up": True}}
    # Any key of the store tells, whatever it may do.
    read_only = await make_key(services, workspace, ["products:read"])
    assert await _status(client, auth(read_only)) == {"data": {"up": False}}
    ok(await client.patch("/api/settings", headers=h, json={"store_live": True}))
    assert await _status(client, h) == {"data": {"up": True}}


async def test_a_key_that_names_no_store_is_refused(client):
    r = await client.get("/api/store/status", headers=auth("swk_00000000_not-a-key"))
    assert (r.status_code, r.json()) == (401, "Unauthorized.")
