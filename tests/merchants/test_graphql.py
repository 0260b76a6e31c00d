"""The GraphQL twin: connecting merchants (credentials never shown), the operations as mutations with their input
problems as userErrors, and the job they queue."""

from __future__ import annotations

from pathlib import Path

import httpx

from resolvers.context import AppServices
from schema.relay import from_global_id
from tests.merchants.conftest import paapi_connection
from tests.merchants.fake_merchant import FakeMerchant
from tests.merchants.helpers import counts, finished, result
from tests.support.factories import WorkspaceInfo
from tests.support.graphql import gql

CONNECT = """mutation($input: ConnectMerchantInput!) { connectMerchant(input: $input) {
  connection { merchant adapter settings credentialNames } userErrors { field code message } } }"""
IMPORT = """mutation($input: ImportMerchantLinksInput!) { importMerchantLinks(input: $input) {
  job { id kind status } total importing duplicates failed links { link asin locale status reason productId }
  userErrors { field code message } } }"""
FILL = """mutation($input: FillCategoriesInput!) { fillCategories(input: $input) {
  job { id } categoriesQueued quantityPerCategory creditsCharged userErrors { field code message } } }"""


async def test_connect_import_and_fill(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant, feed_dir: Path
) -> None:
    token = workspace.api_key
    bad = {"merchant": "amazon", "adapter": "ebay_browse", "settings": {}, "credentials": {"client_id": 5}}
    _, body = await gql(client, CONNECT, {"input": bad}, token)
    errors = body["data"]["connectMerchant"]["userErrors"]
    assert {e["field"] for e in errors} == {"adapter", "credentials.client_id", "credentials.client_secret"}
    assert body["data"]["connectMerchant"]["connection"] is None

    conn = {"merchant": "amazon", **paapi_connection()}
    _, body = await gql(client, CONNECT, {"input": conn}, token)
    assert body["data"]["connectMerchant"] == {
        "connection": {
            "merchant": "amazon",
            "adapter": "amazon_paapi",
            "settings": {"partner_tag": "store-20"},
            "credentialNames": ["access_key", "secret_key"],
        },
        "userErrors": [],
    }
    _, body = await gql(
        client, "{ merchantConnections { merchant credentialNames } enabledMerchants { key name } }", None, token
    )
    assert body["data"] == {
        "merchantConnections": [{"merchant": "amazon", "credentialNames": ["access_key", "secret_key"]}],
        "enabledMerchants": [{"key": "amazon", "name": "Amazon"}],
    }
    assert "fake-paapi-secret" not in str(body)

    _, body = await gql(client, IMPORT, {"input": {"links": ["https://www.amazon.de/dp/B0D7654321", "junk"]}}, token)
    payload = body["data"]["importMerchantLinks"]
    assert (payload["total"], payload["importing"], payload["failed"], payload["userErrors"]) == (2, 1, 1, [])
    assert payload["job"]["kind"] == "merchants.import_links"
    assert result(await finished(services, from_global_id(payload["job"]["id"])[1]))["imported"] == 1

    before = await counts(services, workspace.workspace_id)
    _, body = await gql(client, FILL, {"input": {"apiName": "amazon", "locale": "us", "quantity": 60}}, token)
    assert body["data"]["fillCategories"]["userErrors"] == [
        {"field": "quantity", "code": "INVALID_INPUT", "message": "Must be between 1 and 50."}
    ]
    assert await counts(services, workspace.workspace_id) == before
