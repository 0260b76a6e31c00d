"""The listing studio's GraphQL twin: each query and mutation once, over the same service as the REST surface —
products and their pages, an image generated offline reaching ``assets``, approval, the ZIP export, listing copy,
and the refusals (free plan, another workspace's objects, bad input, a short balance) with nothing written."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select

from domain.accounts.credits import DEBIT, CreditsService, LedgerNote
from domain.jobs.models import Job
from tests.conftest import live_app
from tests.listing.helpers import create_product, credits, listing_registry
from tests.support.factories import make_workspace
from tests.support.graphql import gql, subscription
from tests.support.jobs import wait_for

PRODUCT_FIELDS = "id productId title description category images { url width height contentType } createdAt"
PRODUCTS = f"""
query ($first: Int!, $after: String) {{
  listingProducts(first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {PRODUCT_FIELDS} }} }}
  }}
}}"""
PRODUCT = f"query ($id: ID!) {{ listingProduct(id: $id) {{ {PRODUCT_FIELDS} }} }}"
ASSET_FIELDS = "id assetId productId jobId style platform width height status url renderer compliance"
ASSETS = f"""
query ($productId: ID, $platform: String, $style: String, $status: ListingAssetStatus) {{
  assets(productId: $productId, platform: $platform, style: $style, status: $status, first: 10) {{
    totalCount edges {{ node {{ {ASSET_FIELDS} }} }}
  }}
}}"""
IMAGE = """
mutation ($input: GenerateListingImageInput!) {
  generateListingImage(input: $input) { creditCost job { id jobId kind status } userErrors { field code message } }
}"""
COPY = """
mutation ($input: GenerateListingCopyInput!) {
  generateListingCopy(input: $input) { creditCost job { jobId kind status } userErrors { field code message } }
}"""
APPROVE = f"mutation ($id: ID!) {{ approveAsset(id: $id) {{ asset {{ {ASSET_FIELDS} }} userErrors {{ code }} }} }}"
REJECT = f"mutation ($id: ID!) {{ rejectAsset(id: $id) {{ asset {{ {ASSET_FIELDS} }} userErrors {{ code }} }} }}"
PROGRESS = "subscription ($id: ID!) { jobProgress(id: $id) { seq type status progress } }"
EXPORT = """
mutation ($productId: ID!) { exportListingAssets(productId: $productId) { downloadUrl expiresAt userErrors { code } } }
"""


async def _jobs(services, ws):
    async with services.read() as session:
        return (await session.execute(select(func.count()).where(Job.workspace_id == ws.workspace_id))).scalar_one()


async def _product(client, ws, image_server, title="Organic Green Tea 100g"):
    return await create_product(client, ws, image_url=f"{image_server}/product.png", title=title, category="Tea")


async def test_products_as_a_connection_and_one_by_any_of_its_ids(client, pro, pro_b, image_server):
    made = [await _product(client, pro, image_server, title=f"Tea {n}") for n in range(3)]
    _, body = await gql(client, PRODUCTS, {"first": 2}, token=pro.api_key)
    page = body["data"]["listingProducts"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    nodes = [e["node"] for e in page["edges"]]
    assert [n["productId"] for n in nodes] == [made[2]["id"], made[1]["id"]]  # newest first
    first = nodes[0]
    assert first["title"] == "Tea 2" and first["category"] == "Tea"
    assert len(first["images"]) == 1 and "/media/" in first["images"][0]["url"]
    assert first["images"][0]["contentType"] == "image/png"
    _, body = await gql(client, PRODUCTS, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=pro.api_key)
    rest = body["data"]["listingProducts"]
    assert [e["node"]["productId"] for e in rest["edges"]] == [made[0]["id"]]
    assert rest["pageInfo"]["hasNextPage"] is False
    # A cursor off the page boundary (first changed between pages) still gives the next items in order.
    _, body = await gql(client, PRODUCTS, {"first": 2, "after": page["edges"][0]["cursor"]}, token=pro.api_key)
    assert [e["node"]["productId"] for e in body["data"]["listingProducts"]["edges"]] == [made[1]["id"], made[0]["id"]]

    for ref in (first["id"], first["productId"], first["productId"].removeprefix("prod_")):
        _, body = await gql(client, PRODUCT, {"id": ref}, token=pro.api_key)
        assert body["data"]["listingProduct"]["productId"] == first["productId"], ref
    _, body = await gql(client, PRODUCT, {"id": first["id"]}, token=pro_b.api_key)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_free_plan_is_refused_and_nothing_is_written(client, services, free, image_server):
    _, body = await gql(client, PRODUCTS, {"first": 5}, token=free.api_key)
    assert body["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"
    _, body = await gql(client, IMAGE, {"input": {"productId": "prod_1", "style": "NOPE"}}, token=free.api_key)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"  # the plan before the input
    _, body = await gql(client, ASSETS, {}, token=free.api_key)
    assert body["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"
    assert await _jobs(services, free) == 0


async def test_a_generated_image_reaches_assets_is_approved_and_exported(app, client, services, pro, image_server):
    product = await _product(client, pro, image_server)
    before = (await credits(client, pro))["creditsRemaining"]
    variables = {"input": {"productId": product["id"], "style": "CLEAN_WHITE_BG", "platform": "shopify"}}
    _, body = await gql(client, IMAGE, variables, token=pro.api_key)
    submitted = body["data"]["generateListingImage"]
    assert submitted["userErrors"] == []
    assert submitted["creditCost"] == 4
    assert submitted["job"]["kind"] == "listing.image" and submitted["job"]["status"] == "QUEUED"
    assert (await credits(client, pro))["creditsRemaining"] == before - 4
    job = await wait_for(services, submitted["job"]["jobId"], {"completed", "failed"}, timeout=60)
    assert job.status == "completed", job.error_message

    _, body = await gql(client, ASSETS, {"productId": product["id"]}, token=pro.api_key)
    assets = body["data"]["assets"]
    assert assets["totalCount"] == 1
    asset = assets["edges"][0]["node"]
    assert asset["style"] == "CLEAN_WHITE_BG" and asset["platform"] == "shopify" and asset["status"] == "GENERATED"
    assert asset["jobId"] == f"job_{job.id}" and asset["productId"] == product["id"]
    assert asset["width"] == asset["height"] == 1000
    assert asset["compliance"]["platform"] == "shopify" and "checks" in asset["compliance"]
    image = await client.get(urlsplit(asset["url"]).path)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    for filters in ({"platform": "amazon"}, {"style": "BEFORE_AFTER"}, {"status": "APPROVED"}):
        _, body = await gql(client, ASSETS, filters, token=pro.api_key)
        assert body["data"]["assets"]["totalCount"] == 0, filters

    _, body = await gql(client, EXPORT, {"productId": product["id"]}, token=pro.api_key)
    assert body["data"]["exportListingAssets"]["userErrors"][0]["code"] == "NOT_FOUND"  # nothing approved yet

    _, body = await gql(client, APPROVE, {"id": asset["id"]}, token=pro.api_key)
    approved = body["data"]["approveAsset"]
    assert approved["userErrors"] == [] and approved["asset"]["status"] == "APPROVED"
    _, body = await gql(client, ASSETS, {"status": "APPROVED"}, token=pro.api_key)
    assert body["data"]["assets"]["totalCount"] == 1

    _, body = await gql(client, EXPORT, {"productId": product["id"]}, token=pro.api_key)
    export = body["data"]["exportListingAssets"]
    assert export["userErrors"] == [] and export["expiresAt"]
    download = await client.get(urlsplit(export["downloadUrl"]).path)
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert names == [f"shopify/CLEAN_WHITE_BG_{asset['assetId']}.png"]

    _, body = await gql(client, REJECT, {"id": asset["assetId"]}, token=pro.api_key)
    assert body["data"]["rejectAsset"]["asset"]["status"] == "REJECTED"


async def test_another_workspaces_product_and_asset_are_not_found(app, client, services, pro, pro_b, image_server):
    theirs = await _product(client, pro_b, image_server)
    before = (await credits(client, pro))["creditsRemaining"]
    _, body = await gql(
        client, IMAGE, {"input": {"productId": theirs["id"], "style": "CLEAN_WHITE_BG"}}, token=pro.api_key
    )
    assert [e["code"] for e in body["data"]["generateListingImage"]["userErrors"]] == ["NOT_FOUND"]
    _, body = await gql(client, COPY, {"input": {"productId": theirs["id"]}}, token=pro.api_key)
    assert [e["code"] for e in body["data"]["generateListingCopy"]["userErrors"]] == ["NOT_FOUND"]
    _, body = await gql(client, EXPORT, {"productId": theirs["id"]}, token=pro.api_key)
    assert [e["code"] for e in body["data"]["exportListingAssets"]["userErrors"]] == ["NOT_FOUND"]
    _, body = await gql(client, ASSETS, {"productId": theirs["id"]}, token=pro.api_key)
    assert body["data"]["assets"]["totalCount"] == 0

    _, body = await gql(
        client, IMAGE, {"input": {"productId": theirs["id"], "style": "CLEAN_WHITE_BG"}}, token=pro_b.api_key
    )
    job_id = body["data"]["generateListingImage"]["job"]["jobId"]
    await wait_for(services, job_id, {"completed"}, timeout=60)
    _, body = await gql(client, ASSETS, {}, token=pro_b.api_key)
    their_asset = body["data"]["assets"]["edges"][0]["node"]
    _, body = await gql(client, APPROVE, {"id": their_asset["id"]}, token=pro.api_key)
    assert body["data"]["approveAsset"] == {"asset": None, "userErrors": [{"code": "NOT_FOUND"}]}
    assert (await credits(client, pro))["creditsRemaining"] == before
    assert await _jobs(services, pro) == 0


async def test_bad_input_is_answered_as_user_errors_and_spends_nothing(client, services, pro, image_server):
    product = await _product(client, pro, image_server)
    before = (await credits(client, pro))["creditsRemaining"]
    bad = {
        "productId": product["id"],
        "style": "WATERCOLOUR",
        "platform": "myspace",
        "outputSize": {"w": 900, "h": 900},
        "aiModel": "dalle",
    }
    _, body = await gql(client, IMAGE, {"input": bad}, token=pro.api_key)
    errors = body["data"]["generateListingImage"]["userErrors"]
    assert {e["field"] for e in errors} == {"style", "platform", "outputSize.w", "outputSize.h", "aiModel"}
    assert {e["code"] for e in errors} == {"INVALID_INPUT"}
    _, body = await gql(
        client,
        COPY,
        {"input": {"productId": product["id"], "tone": "angry", "components": ["haiku"]}},
        token=pro.api_key,
    )
    assert {e["field"] for e in body["data"]["generateListingCopy"]["userErrors"]} == {"tone", "components"}
    _, body = await gql(client, IMAGE, {"input": {"productId": "prod_x", "style": "CLEAN_WHITE_BG"}}, token=pro.api_key)
    assert [e["field"] for e in body["data"]["generateListingImage"]["userErrors"]] == ["productId"]
    _, body = await gql(client, ASSETS, {"platform": "myspace", "style": "NOPE"}, token=pro.api_key)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert set(body["errors"][0]["extensions"]["fields"]) == {"platform", "style"}
    assert (await credits(client, pro))["creditsRemaining"] == before
    assert await _jobs(services, pro) == 0


async def test_listing_copy_is_queued_at_the_platforms_price(client, services, pro, image_server, held_jobs):
    product = await _product(client, pro, image_server)
    before = (await credits(client, pro))["creditsRemaining"]
    variables = {
        "input": {
            "productId": product["id"],
            "platform": "amazon",
            "components": ["title", "bullets"],
            "seedKeywords": ["green tea", "organic"],
            "tone": "luxury",
        }
    }
    _, body = await gql(client, COPY, variables, token=pro.api_key)
    submitted = body["data"]["generateListingCopy"]
    assert submitted["userErrors"] == [] and submitted["creditCost"] == 10
    assert submitted["job"]["kind"] == "listing.copy"
    assert held_jobs == [submitted["job"]["jobId"]]
    assert (await credits(client, pro))["creditsRemaining"] == before - 10


async def test_a_short_balance_is_a_user_error_with_nothing_written(client, services, pro, image_server):
    product = await _product(client, pro, image_server)
    balance = (await credits(client, pro))["creditsRemaining"]
    async with services.unit_of_work() as uow:  # leave 3 credits: one CLEAN_WHITE_BG costs 4
        note = LedgerNote(DEBIT, reference="test")
        await CreditsService(uow, services.plans).debit(pro.workspace_id, balance - 3, note)
    variables = {"input": {"productId": product["id"], "style": "CLEAN_WHITE_BG"}}
    _, body = await gql(client, IMAGE, variables, token=pro.api_key)
    answer = body["data"]["generateListingImage"]
    assert answer["job"] is None and answer["creditCost"] is None
    assert [e["code"] for e in answer["userErrors"]] == ["INSUFFICIENT_CREDITS"]
    assert "4" in answer["userErrors"][0]["message"] and "3" in answer["userErrors"][0]["message"]
    assert await _jobs(services, pro) == 0
    assert (await credits(client, pro))["creditsRemaining"] == 3


async def test_an_image_jobs_progress_arrives_through_job_progress(settings, image_server):
    async with live_app(settings, listing_registry) as live:
        pro = await make_workspace(live.services, name="Live pro shop", plan="pro", credits=50)
        async with httpx.AsyncClient(base_url=live.url) as http:
            product = await create_product(http, pro, image_url=f"{image_server}/product.png")
            variables = {"input": {"productId": product["id"], "style": "INFOGRAPHIC_FEATURE"}}
            _, body = await gql(http, IMAGE, variables, token=pro.api_key)
        job = body["data"]["generateListingImage"]["job"]
        messages = await subscription(live.ws_url, PROGRESS, {"id": job["id"]}, pro.headers(), timeout=60)
    assert messages[-1]["type"] == "complete"
    events = [m["payload"]["data"]["jobProgress"] for m in messages if m["type"] == "next"]
    assert events[0]["type"] == "snapshot"
    assert events[-1]["status"] == "COMPLETED" and events[-1]["progress"] == 1.0
    assert [e["seq"] for e in events[1:]] == list(range(events[0]["seq"] + 1, events[-1]["seq"] + 1))
