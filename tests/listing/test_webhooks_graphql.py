"""Webhook subscriptions over GraphQL: the same service as the REST surface, bad input as userErrors with nothing
written, permission before input, another workspace's subscription NOT_FOUND."""

from __future__ import annotations

from tests.support.factories import add_member
from tests.support.graphql import gql

FIELDS = "id subscriptionId url events creditsLowThreshold active description createdAt updatedAt"
CREATE = f"""
mutation ($input: CreateWebhookSubscriptionInput!) {{
  createWebhookSubscription(input: $input) {{ webhookSubscription {{ {FIELDS} }} userErrors {{ field code message }} }}
}}"""
UPDATE = f"""
mutation ($id: ID!, $input: UpdateWebhookSubscriptionInput!) {{
  updateWebhookSubscription(id: $id, input: $input) {{
    webhookSubscription {{ {FIELDS} }} userErrors {{ field code message }}
  }}
}}"""
DELETE = """
mutation ($id: ID!) { deleteWebhookSubscription(id: $id) { deletedId userErrors { field code message } } }"""
LIST = f"{{ webhookSubscriptions(first: 10) {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"
ONE = f"query ($id: ID!) {{ webhookSubscription(id: $id) {{ {FIELDS} }} }}"
NODE = "query ($id: ID!) { node(id: $id) { ... on WebhookSubscription { subscriptionId url } } }"

GOOD = {
    "url": "https://hooks.example.com/in",
    "events": ["JOB_COMPLETED", "CREDITS_LOW"],
    "creditsLowThreshold": 25,
}


async def _create(client, ws, **changes):
    status, body = await gql(client, CREATE, {"input": {**GOOD, **changes}}, token=ws.api_key)
    assert status == 200, body
    return body["data"]["createWebhookSubscription"]


async def _listed(client, ws):
    status, body = await gql(client, LIST, token=ws.api_key)
    assert status == 200 and "errors" not in body, body
    return [edge["node"] for edge in body["data"]["webhookSubscriptions"]["edges"]]


async def test_create_list_read_update_delete(client, pro):
    created = await _create(client, pro, description="ops")
    assert created["userErrors"] == []
    node = created["webhookSubscription"]
    assert node["subscriptionId"].startswith("wh_")
    assert node["events"] == ["JOB_COMPLETED", "CREDITS_LOW"]
    assert node["creditsLowThreshold"] == 25 and node["active"] is True and node["description"] == "ops"
    assert await _listed(client, pro) == [node]

    for ref in (node["id"], node["subscriptionId"]):
        _, body = await gql(client, ONE, {"id": ref}, token=pro.api_key)
        assert body["data"]["webhookSubscription"] == node
    _, body = await gql(client, NODE, {"id": node["id"]}, token=pro.api_key)
    assert body["data"]["node"] == {"subscriptionId": node["subscriptionId"], "url": GOOD["url"]}

    _, body = await gql(
        client, UPDATE, {"id": node["id"], "input": {"active": False, "description": None}}, token=pro.api_key
    )
    updated = body["data"]["updateWebhookSubscription"]
    assert updated["userErrors"] == []
    assert updated["webhookSubscription"]["active"] is False
    assert updated["webhookSubscription"]["description"] is None  # null clears it
    assert updated["webhookSubscription"]["creditsLowThreshold"] == 25  # not given: unchanged

    _, body = await gql(client, DELETE, {"id": node["subscriptionId"]}, token=pro.api_key)
    assert body["data"]["deleteWebhookSubscription"] == {"deletedId": node["id"], "userErrors": []}
    assert await _listed(client, pro) == []


async def test_bad_input_is_answered_as_user_errors_and_writes_nothing(client, pro):
    refused = await _create(client, pro, url="ftp://example.com/x", events=["CREDITS_LOW"], creditsLowThreshold=None)
    assert refused["webhookSubscription"] is None
    assert {(e["field"], e["code"]) for e in refused["userErrors"]} == {
        ("url", "INVALID_INPUT"),
        ("creditsLowThreshold", "INVALID_INPUT"),
    }
    refused = await _create(client, pro, events=[], creditsLowThreshold=-3)
    assert {e["field"] for e in refused["userErrors"]} == {"events", "creditsLowThreshold"}
    assert await _listed(client, pro) == []

    node = (await _create(client, pro))["webhookSubscription"]
    _, body = await gql(client, UPDATE, {"id": node["id"], "input": {"creditsLowThreshold": None}}, token=pro.api_key)
    answer = body["data"]["updateWebhookSubscription"]
    assert answer["webhookSubscription"] is None
    assert [e["field"] for e in answer["userErrors"]] == ["creditsLowThreshold"]
    assert await _listed(client, pro) == [node]


async def test_an_unknown_event_is_refused_by_the_schema(client, pro):
    _, body = await gql(client, CREATE, {"input": {**GOOD, "events": ["JOB_STARTED"]}}, token=pro.api_key)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await _listed(client, pro) == []


async def test_another_workspaces_subscription_is_not_found(client, pro, pro_b):
    theirs = (await _create(client, pro_b))["webhookSubscription"]
    _, body = await gql(client, ONE, {"id": theirs["id"]}, token=pro.api_key)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    _, body = await gql(client, UPDATE, {"id": theirs["id"], "input": {"active": False}}, token=pro.api_key)
    assert body["data"]["updateWebhookSubscription"]["userErrors"][0]["code"] == "NOT_FOUND"
    _, body = await gql(client, DELETE, {"id": theirs["id"]}, token=pro.api_key)
    assert body["data"]["deleteWebhookSubscription"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert await _listed(client, pro_b) == [theirs]


async def test_a_viewer_reads_but_may_not_manage_even_with_bad_input(client, services, pro):
    node = (await _create(client, pro))["webhookSubscription"]
    viewer = await add_member(services, pro, "viewer@example.com", "viewer")
    _, body = await gql(client, LIST, token=viewer)
    assert [e["node"]["id"] for e in body["data"]["webhookSubscriptions"]["edges"]] == [node["id"]]
    _, body = await gql(client, CREATE, {"input": {**GOOD, "url": "nope"}}, token=viewer)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, body = await gql(client, DELETE, {"id": node["id"]}, token=viewer)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert len(await _listed(client, pro)) == 1
