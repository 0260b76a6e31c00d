"""Assets: generated images listed with filters and pages; approving and rejecting them."""

from __future__ import annotations

import httpx

from resolvers.context import AppServices
from tests.listing.helpers import API, add_asset, create_product, written
from tests.support.factories import WorkspaceInfo, add_member


async def test_filters_and_pages(client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices) -> None:
    tea = (await create_product(client, pro, title="Tea"))["id"]
    mug = (await create_product(client, pro, title="Mug"))["id"]
    made = [
        await add_asset(services, pro, tea, style="CLEAN_WHITE_BG", platform="amazon", color=(1, 0, 0)),
        await add_asset(services, pro, tea, style="LIFESTYLE_CONTEXTUAL", platform="shopify", color=(2, 0, 0)),
        await add_asset(services, pro, mug, style="CLEAN_WHITE_BG", platform="shopify", color=(3, 0, 0)),
        await add_asset(services, pro, mug, style="BEFORE_AFTER", platform="etsy", status="approved", color=(4, 0, 0)),
    ]

    async def ids(query: str) -> list[str]:
        response = await client.get(f"{API}/assets{query}", headers=pro.headers())
        assert response.status_code == 200, response.text
        return [a["id"].removeprefix("asset_") for a in response.json()["assets"]]

    assert await ids("") == made[::-1]  # newest first
    assert await ids(f"?productId={tea}") == [made[1], made[0]]
    assert await ids(f"?productId={mug.removeprefix('prod_')}&platform=shopify") == [made[2]]
    assert await ids("?style=CLEAN_WHITE_BG") == [made[2], made[0]]
    assert await ids("?status=approved") == [made[3]]
    assert await ids("?platform=flipkart") == []

    page = (await client.get(f"{API}/assets?limit=3&page=2", headers=pro.headers())).json()
    assert page["total"] == 4 and page["page"] == 2
    [oldest] = page["assets"]
    assert oldest["id"] == f"asset_{made[0]}"
    assert oldest["productId"] == tea
    assert (oldest["style"], oldest["platform"], oldest["status"]) == ("CLEAN_WHITE_BG", "amazon", "generated")
    assert oldest["width"] == 64 and oldest["compliance"]["platform"] == "amazon"
    image = await client.get(oldest["url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"


async def test_approve_and_reject(client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices) -> None:
    tea = (await create_product(client, pro, title="Tea"))["id"]
    asset = await add_asset(services, pro, tea)
    approved = await client.post(f"{API}/assets/asset_{asset}/approve", headers=pro.headers())
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["reviewed_at"].endswith("Z")
    rejected = await client.post(f"{API}/assets/{asset}/reject", headers=pro.headers())
    assert rejected.json()["status"] == "rejected"
    listed = (await client.get(f"{API}/assets?status=rejected", headers=pro.headers())).json()
    assert [a["id"] for a in listed["assets"]] == [f"asset_{asset}"]


async def test_another_workspaces_asset_is_not_found(
    client: httpx.AsyncClient, pro: WorkspaceInfo, pro_b: WorkspaceInfo, services: AppServices
) -> None:
    theirs = (await create_product(client, pro_b, title="Theirs"))["id"]
    asset = await add_asset(services, pro_b, theirs)
    before = await written(services, pro_b)
    for ref in (f"asset_{asset}", "asset_nonsense", "not-a-uuid"):
        response = await client.post(f"{API}/assets/{ref}/approve", headers=pro.headers())
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
    assert (await client.get(f"{API}/assets", headers=pro.headers())).json()["total"] == 0
    assert await written(services, pro_b) == before
    still = (await client.get(f"{API}/assets", headers=pro_b.headers())).json()["assets"]
    assert still[0]["status"] == "generated"


async def test_a_viewer_reads_but_cannot_review(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices
) -> None:
    tea = (await create_product(client, pro, title="Tea"))["id"]
    asset = await add_asset(services, pro, tea)
    viewer = await add_member(services, pro, "viewer@example.com", "viewer")
    assert (await client.get(f"{API}/assets", headers=pro.headers(viewer))).status_code == 200
    refused = await client.post(f"{API}/assets/asset_{asset}/approve", headers=pro.headers(viewer))
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
