"""Export: the ZIP holds exactly the product's approved images, one folder per platform; its link expires and
cannot be forged."""

from __future__ import annotations

import asyncio
import io
import zipfile

import httpx
import pytest

from resolvers.context import AppServices
from tests.listing.helpers import API, add_asset, create_product, solid_png
from tests.support.factories import WorkspaceInfo


async def test_the_zip_holds_exactly_the_approved_images_in_platform_folders(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices
) -> None:
    tea = (await create_product(client, pro, title="Tea"))["id"]
    mug = (await create_product(client, pro, title="Mug"))["id"]
    a1 = await add_asset(services, pro, tea, style="CLEAN_WHITE_BG", platform="amazon", color=(1, 1, 1))
    a2 = await add_asset(services, pro, tea, style="LIFESTYLE_CONTEXTUAL", platform="shopify", color=(2, 2, 2))
    a3 = await add_asset(services, pro, tea, style="BEFORE_AFTER", platform="shopify", color=(3, 3, 3))
    await add_asset(services, pro, tea, style="CLEAN_WHITE_BG", platform="etsy", color=(4, 4, 4))  # not approved
    rejected = await add_asset(services, pro, tea, style="MODEL_STUDIO", platform="etsy", color=(5, 5, 5))
    other = await add_asset(services, pro, mug, style="CLEAN_WHITE_BG", platform="amazon", color=(6, 6, 6))
    for asset in (a1, a2, a3, other):
        assert (await client.post(f"{API}/assets/asset_{asset}/approve", headers=pro.headers())).status_code == 200
    await client.post(f"{API}/assets/asset_{rejected}/reject", headers=pro.headers())

    response = await client.get(f"{API}/export/{tea}", headers=pro.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["downloadUrl", "expiresAt"]
    assert body["downloadUrl"].startswith("http") and body["expiresAt"].endswith("Z")

    download = await client.get(body["downloadUrl"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert tea in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(
            [
                f"amazon/CLEAN_WHITE_BG_asset_{a1}.png",
                f"shopify/LIFESTYLE_CONTEXTUAL_asset_{a2}.png",
                f"shopify/BEFORE_AFTER_asset_{a3}.png",
            ]
        )
        assert archive.read(f"amazon/CLEAN_WHITE_BG_asset_{a1}.png") == solid_png((1, 1, 1))
        assert archive.read(f"shopify/BEFORE_AFTER_asset_{a3}.png") == solid_png((3, 3, 3))


async def test_nothing_approved_is_not_found(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices
) -> None:
    tea = (await create_product(client, pro, title="Tea"))["id"]
    await add_asset(services, pro, tea)
    response = await client.get(f"{API}/export/{tea}", headers=pro.headers())
    assert response.status_code == 404
    assert "approved" in response.json()["message"]


async def approved_export(client: httpx.AsyncClient, ws: WorkspaceInfo, services: AppServices) -> str:
    tea = (await create_product(client, ws, title="Tea"))["id"]
    asset = await add_asset(services, ws, tea)
    await client.post(f"{API}/assets/asset_{asset}/approve", headers=ws.headers())
    url: str = (await client.get(f"{API}/export/{tea}", headers=ws.headers())).json()["downloadUrl"]
    return url


async def test_a_tampered_link_is_refused(client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices) -> None:
    url = await approved_export(client, pro, services)
    assert (await client.get(url)).status_code == 200
    head, _, token = url.rpartition("/")
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for forged in (f"{head}/{header}.{payload}.{flipped}", f"{head}/{token[:-1]}", f"{head}/nonsense"):
        response = await client.get(forged)
        assert response.status_code in (403, 404), forged
        assert response.headers["content-type"].startswith("application/json")


@pytest.mark.listing_settings(media_url_ttl_seconds=1)
async def test_an_expired_link_is_refused(client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices) -> None:
    url = await approved_export(client, pro, services)
    await asyncio.sleep(2.1)
    response = await client.get(url)
    assert response.status_code in (403, 410)
    assert "expired" in response.json()["message"].lower()
