"""Webhook subscriptions over the listing surface (``/listing/api/webhooks``): CRUD in the listing dialect, every
bad input refused with the fields at fault and nothing written, the plan rule, and other workspaces' ids."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from domain.jobs.webhooks import MAX_SUBSCRIPTIONS
from tests.listing.helpers import API

HOOKS = f"{API}/webhooks"
GOOD = {
    "url": "https://hooks.example.com/shopwright",
    "events": ["job.completed", "credits.low"],
    "creditsLowThreshold": 50,
    "description": "ops alerts",
}


async def _list(client, ws):
    response = await client.get(HOOKS, headers=ws.headers())
    assert response.status_code == 200, response.text
    return response.json()["webhooks"]


async def test_create_read_update_delete(client, pro):
    created = await client.post(HOOKS, json=GOOD, headers=pro.headers())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["id"].startswith("wh_")
    assert body["url"] == GOOD["url"]
    assert body["events"] == ["job.completed", "credits.low"]
    assert body["creditsLowThreshold"] == 50
    assert body["active"] is True
    assert body["description"] == "ops alerts"
    assert body["created_at"].endswith("Z")
    assert "secret" not in created.text.lower()  # the workspace's signing secret is shown nowhere here

    assert [w["id"] for w in await _list(client, pro)] == [body["id"]]
    one = await client.get(f"{HOOKS}/{body['id']}", headers=pro.headers())
    assert one.status_code == 200 and one.json() == body
    bare = await client.get(f"{HOOKS}/{body['id'].removeprefix('wh_')}", headers=pro.headers())
    assert bare.status_code == 200 and bare.json()["id"] == body["id"]

    patched = await client.patch(
        f"{HOOKS}/{body['id']}", json={"events": ["job.failed"], "active": False}, headers=pro.headers()
    )
    assert patched.status_code == 200, patched.text
    changed = patched.json()
    assert changed["events"] == ["job.failed"] and changed["active"] is False
    assert changed["url"] == GOOD["url"] and changed["creditsLowThreshold"] == 50  # not sent: unchanged

    deleted = await client.delete(f"{HOOKS}/{body['id']}", headers=pro.headers())
    assert deleted.status_code == 204 and deleted.content == b""
    gone = await client.get(f"{HOOKS}/{body['id']}", headers=pro.headers())
    assert gone.status_code == 404 and gone.json()["error"] == "not_found"
    assert await _list(client, pro) == []


async def test_duplicate_events_are_kept_once(client, pro):
    response = await client.post(
        HOOKS, json={"url": GOOD["url"], "events": ["job.failed", "job.failed"]}, headers=pro.headers()
    )
    assert response.status_code == 201, response.text
    assert response.json()["events"] == ["job.failed"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"url", "events"}),
        ({"url": "ftp://hooks.example.com/x", "events": ["job.completed"]}, {"url"}),
        ({"url": "/relative", "events": ["job.completed"]}, {"url"}),
        ({"url": "https://user:pw@hooks.example.com/x", "events": ["job.completed"]}, {"url"}),
        ({"url": "https://hooks.example.com/" + "x" * 2100, "events": ["job.completed"]}, {"url"}),
        ({"url": GOOD["url"], "events": []}, {"events"}),
        ({"url": GOOD["url"], "events": ["job.started"]}, {"events"}),
        ({"url": GOOD["url"], "events": "job.completed"}, {"events"}),
        ({"url": GOOD["url"], "events": ["credits.low"]}, {"creditsLowThreshold"}),
        ({"url": GOOD["url"], "events": ["credits.low"], "creditsLowThreshold": -1}, {"creditsLowThreshold"}),
        ({"url": GOOD["url"], "events": ["credits.low"], "creditsLowThreshold": "10"}, {"creditsLowThreshold"}),
        ({"url": GOOD["url"], "events": ["job.failed"], "active": "yes"}, {"active"}),
        ({"url": GOOD["url"], "events": ["job.failed"], "description": "d" * 256}, {"description"}),
        ({"url": "nope", "events": ["what"], "creditsLowThreshold": -5}, {"url", "events", "creditsLowThreshold"}),
    ],
)
async def test_bad_input_is_a_400_naming_every_field_and_writes_nothing(client, pro, body, fields):
    response = await client.post(HOOKS, json=body, headers=pro.headers())
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["error"] == "invalid_request"
    assert set(answer["fields"]) == fields
    assert await _list(client, pro) == []


async def test_malformed_json_is_refused(client, pro):
    response = await client.post(
        HOOKS, content=b'{"url": ', headers={**pro.headers(), "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"error", "message"}
    assert await _list(client, pro) == []


async def test_an_update_is_checked_as_a_whole_and_changes_nothing_when_refused(client, pro):
    created = (await client.post(HOOKS, json=GOOD, headers=pro.headers())).json()
    refused = await client.patch(f"{HOOKS}/{created['id']}", json={"creditsLowThreshold": None}, headers=pro.headers())
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"creditsLowThreshold"}  # credits.low still wants one
    refused = await client.patch(f"{HOOKS}/{created['id']}", json={"url": None}, headers=pro.headers())
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"url"}
    assert (await _list(client, pro)) == [created]
    cleared = await client.patch(
        f"{HOOKS}/{created['id']}",
        json={"events": ["job.completed"], "creditsLowThreshold": None, "description": None},
        headers=pro.headers(),
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["creditsLowThreshold"] is None and cleared.json()["description"] is None


async def test_a_workspace_holds_a_bounded_number_of_subscriptions(client, pro):
    for index in range(MAX_SUBSCRIPTIONS):
        body = {"url": f"https://hooks.example.com/{index}", "events": ["job.completed"]}
        assert (await client.post(HOOKS, json=body, headers=pro.headers())).status_code == 201
    refused = await client.post(HOOKS, json=GOOD, headers=pro.headers())
    assert refused.status_code == 409
    assert refused.json()["error"] == "too_many_webhooks"
    assert len(await _list(client, pro)) == MAX_SUBSCRIPTIONS


async def test_racing_creates_never_pass_the_bound(client, pro):
    bodies = [{"url": f"https://hooks.example.com/{i}", "events": ["job.failed"]} for i in range(MAX_SUBSCRIPTIONS + 5)]
    answers = await asyncio.gather(*(client.post(HOOKS, json=body, headers=pro.headers()) for body in bodies))
    assert sorted(a.status_code for a in answers) == [201] * MAX_SUBSCRIPTIONS + [409] * 5
    assert len(await _list(client, pro)) == MAX_SUBSCRIPTIONS


async def test_free_plan_is_refused_everywhere(client, free):
    for method, path, body in [
        ("GET", HOOKS, None),
        ("POST", HOOKS, GOOD),
        ("GET", f"{HOOKS}/wh_{uuid.uuid4()}", None),
        ("PATCH", f"{HOOKS}/wh_{uuid.uuid4()}", {"active": False}),
        ("DELETE", f"{HOOKS}/wh_{uuid.uuid4()}", None),
    ]:
        response = await client.request(method, path, json=body, headers=free.headers())
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"] == "plan_required"


async def test_another_workspaces_subscription_is_not_found(client, pro, pro_b):
    theirs = (await client.post(HOOKS, json=GOOD, headers=pro_b.headers())).json()
    for method, body in [("GET", None), ("PATCH", {"active": False}), ("DELETE", None)]:
        response = await client.request(method, f"{HOOKS}/{theirs['id']}", json=body, headers=pro.headers())
        assert response.status_code == 404, (method, response.text)
        assert response.json()["error"] == "not_found"
    assert await _list(client, pro) == []
    assert [w["id"] for w in await _list(client, pro_b)] == [theirs["id"]]
    assert (await _list(client, pro_b))[0]["active"] is True  # untouched


async def test_malformed_ids_name_nothing(client, pro):
    for bad in ("wh_nope", "123", "wh_" + "f" * 36):
        response = await client.get(f"{HOOKS}/{bad}", headers=pro.headers())
        assert response.status_code == 404, bad


async def test_credentials_are_required(client):
    response = await client.get(HOOKS)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
