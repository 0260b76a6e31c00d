"""Content types by channel and locale: the built-in channels (the document's example as it stands), the
workspace's own channels through GraphQL (add, replace, remove), and unknown channels and locales."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.operations.helpers import row_counts
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI


def url(channel: str, locale: str) -> str:
    return f"/brandbrain/channels/{channel}/locales/{locale}/content-types"


SET = """mutation($input: SetContentChannelInput!) { setContentChannel(input: $input) {
    contentChannel { channel locale contentTypes description builtIn } userErrors { field code message } } }"""
REMOVE = """mutation($channel: String!, $locale: String!) { removeContentChannel(channel: $channel, locale: $locale) {
    contentChannel { channel locale contentTypes } userErrors { field code message } } }"""


async def gql(client: httpx.AsyncClient, ws: WorkspaceInfo, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=ws.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_documented_example(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    response = await client.get(url("channel", "en_uk"), headers=workspace.headers())
    assert response.status_code == 200
    assert response.json() == ["title", "desc", "bullets"]


@pytest.mark.provider("openai")
async def test_the_documented_example_with_a_provider_configured(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    response = await client.get(url("channel", "en_uk"), headers=workspace.headers())
    assert response.status_code == 200 and response.json() == ["title", "desc", "bullets"]
    assert fake_openai.calls == 0


async def test_built_in_channels_of_the_document(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    for channel, locale, types in [
        ("Standard", "en_uk", ["title", "desc", "bullets", "howtouse"]),
        ("Amazon", "de_de", ["title", "desc", "bullets", "howtouse"]),
        ("TechStore", "en-GB", ["title", "bullets", "desc"]),
    ]:
        response = await client.get(url(channel, locale), headers=workspace.headers())
        assert response.status_code == 200 and response.json() == types, (channel, response.text)


async def test_workspace_channels_add_replace_and_remove(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    added = await gql(
        client,
        workspace,
        SET,
        input={"channel": "Zalando", "contentTypes": ["title", "short_desc"], "description": "Ours"},
    )
    assert added["data"]["setContentChannel"]["contentChannel"] == {
        "channel": "Zalando",
        "locale": "*",
        "contentTypes": ["title", "short_desc"],
        "description": "Ours",
        "builtIn": False,
    }
    german = await gql(
        client, workspace, SET, input={"channel": "Zalando", "locale": "de-DE", "contentTypes": ["title"]}
    )
    assert german["data"]["setContentChannel"]["contentChannel"]["locale"] == "de_de"
    assert (await client.get(url("Zalando", "de_de"), headers=workspace.headers())).json() == ["title"]
    assert (await client.get(url("Zalando", "fr_fr"), headers=workspace.headers())).json() == ["title", "short_desc"]
    # Another workspace does not see them.
    other = await client.get(url("Zalando", "de_de"), headers=other_workspace.headers())
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    # Replacing the entry for a locale, then replacing a built-in channel for one locale.
    await gql(client, workspace, SET, input={"channel": "Zalando", "locale": "de_de", "contentTypes": ["desc"]})
    assert (await client.get(url("Zalando", "de_de"), headers=workspace.headers())).json() == ["desc"]
    await gql(
        client, workspace, SET, input={"channel": "Amazon", "locale": "en_us", "contentTypes": ["title", "bullets"]}
    )
    assert (await client.get(url("Amazon", "en_us"), headers=workspace.headers())).json() == ["title", "bullets"]
    assert (await client.get(url("Amazon", "en_uk"), headers=workspace.headers())).json() == [
        "title", "desc", "bullets", "howtouse",
    ]  # fmt: skip
    assert (await client.get(url("Amazon", "en_us"), headers=other_workspace.headers())).json()[-1] == "howtouse"
    listed = await gql(client, workspace, "{ contentChannels { channel locale builtIn } }")
    rows = [(c["channel"], c["locale"], c["builtIn"]) for c in listed["data"]["contentChannels"]]
    assert (
        ("Standard", "*", True) in rows and ("Amazon", "en_us", False) in rows and ("Zalando", "de_de", False) in rows
    )
    # Removing: the built-in channel comes back; the workspace's own channel is gone for that locale.
    removed = await gql(client, workspace, REMOVE, channel="Amazon", locale="en_us")
    assert removed["data"]["removeContentChannel"]["contentChannel"]["contentTypes"] == ["title", "bullets"]
    assert (await client.get(url("Amazon", "en_us"), headers=workspace.headers())).json()[-1] == "howtouse"
    await gql(client, workspace, REMOVE, channel="Zalando", locale="*")
    assert (await client.get(url("Zalando", "fr_fr"), headers=workspace.headers())).status_code == 404
    builtin = await gql(client, workspace, REMOVE, channel="Standard", locale="*")
    assert builtin["data"]["removeContentChannel"]["userErrors"][0]["code"] == "NOT_FOUND"
    query = await gql(client, workspace, '{ channelContentTypes(channel: "Zalando", locale: "de_de") }')
    assert query["data"]["channelContentTypes"] == ["desc"]


async def test_unknown_channels_and_locales(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    unknown = await client.get(url("NoSuchChannel", "en_uk"), headers=workspace.headers())
    assert unknown.status_code == 404
    assert unknown.json() == {"code": "not_found", "message": "Unknown channel 'NoSuchChannel'."}
    await gql(client, workspace, SET, input={"channel": "Local", "locale": "de_de", "contentTypes": ["title"]})
    unserved = await client.get(url("Local", "fr_fr"), headers=workspace.headers())
    assert unserved.status_code == 404 and "locale 'fr_fr'" in unserved.json()["message"]
    for locale in ("english", "xx_uk", "en_zz", "en", "en_uk_extra"):
        bad = await client.get(url("Standard", locale), headers=workspace.headers())
        assert bad.status_code == 400, (locale, bad.text)
        assert bad.json()["code"] == "bad_request" and "locale" in bad.json()["errors"]
    anonymous = await client.get(url("channel", "en_uk"))
    assert anonymous.status_code == 401


BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"channel": "", "contentTypes": ["title"]}, "channel"),
    ({"channel": "a/b", "contentTypes": ["title"]}, "channel"),
    ({"channel": "X", "contentTypes": []}, "contentTypes"),
    ({"channel": "X", "contentTypes": ["Title!"]}, "contentTypes"),
    ({"channel": "X", "contentTypes": ["title", "title"]}, "contentTypes"),
    ({"channel": "X", "locale": "klingon", "contentTypes": ["title"]}, "locale"),
    ({"channel": "X", "contentTypes": ["title"], "description": ""}, "description"),
]


@pytest.mark.parametrize(("input_", "field"), BAD_INPUTS)
async def test_bad_channel_input_writes_nothing(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, input_: dict[str, Any], field: str
) -> None:
    before = await row_counts(services)
    body = await gql(client, workspace, SET, input=input_)
    payload = body["data"]["setContentChannel"]
    assert payload["contentChannel"] is None
    assert [e["field"] for e in payload["userErrors"]] == [field]
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert await row_counts(services) == before
