"""The issue's "Bad input" list, each answered in {"error", "message"} with the document's status, naming the
field at fault; nothing written and no credits spent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.listing.helpers import API, create_product, credits, written
from tests.support.factories import WorkspaceInfo


@pytest.fixture
async def product(client: httpx.AsyncClient, pro: WorkspaceInfo, image_server: str) -> str:
    ref: str = (await create_product(client, pro, f"{image_server}/product.png"))["id"]
    return ref


FIELDS = {
    "style",
    "platform",
    "outputSize",
    "outputSize.w",
    "outputSize.h",
    "aiModel",
    "primaryImageUrl",
    "customPrompt",
}


def image(product: str, **fields: Any) -> dict[str, Any]:
    return {"productId": product, "style": "CLEAN_WHITE_BG", **fields}


async def refused(
    client: httpx.AsyncClient,
    ws: WorkspaceInfo,
    services: AppServices,
    method: str,
    path: str,
    *,
    status: int = 400,
    error: str = "invalid_request",
    names: tuple[str, ...] = (),
    **request: Any,
) -> dict[str, Any]:
    before = await written(services, ws)
    balance = (await credits(client, ws))["creditsRemaining"]
    response = await client.request(method, f"{API}{path}", headers=ws.headers(), **request)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert {"error", "message"} <= set(body)
    assert body["error"] == error, body
    for name in names:
        assert name in body["message"], (name, body["message"])
    assert await written(services, ws) == before
    assert (await credits(client, ws))["creditsRemaining"] == balance
    return body


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"style": "NEON_GLOW"}, ("style", "NEON_GLOW", "CLEAN_WHITE_BG")),
        ({"style": None}, ("style",)),
        ({"platform": "myspace"}, ("platform", "amazon")),
        ({"outputSize": {"w": 1600, "h": 1600}}, ("outputSize.w", "outputSize.h", "1000, 1200, 1500, 2000")),
        ({"outputSize": {"w": 1000, "h": 2000}}, ("outputSize", "square")),
        ({"outputSize": "2000x2000"}, ("outputSize",)),
        ({"aiModel": "dall-e"}, ("aiModel", "auto")),
        ({"primaryImageUrl": "ftp://example.com/a.png"}, ("primaryImageUrl", "http(s)")),
        ({"customPrompt": "x" * 1001}, ("customPrompt", "1000")),
    ],
)
async def test_bad_image_requests(
    client: httpx.AsyncClient,
    pro: WorkspaceInfo,
    services: AppServices,
    product: str,
    change: dict[str, Any],
    names: tuple[str, ...],
) -> None:
    body = await refused(client, pro, services, "POST", "/ai/image", json=image(product, **change), names=names)
    assert set(body["fields"]) == {n for n in names if n in FIELDS}


async def test_missing_product_id_and_every_problem_at_once(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices
) -> None:
    body = await refused(
        client,
        pro,
        services,
        "POST",
        "/ai/image",
        json={"style": "NOPE", "platform": "mars"},
        names=("productId", "style", "platform"),
    )
    assert set(body["fields"]) == {"productId", "style", "platform"}
    await refused(client, pro, services, "POST", "/ai/listing", json={}, names=("productId",))
    await refused(client, pro, services, "POST", "/ai/image", json=image("banana"), names=("productId",))


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"components": ["title", "haiku"]}, ("components", "haiku")),
        ({"components": []}, ("components",)),
        ({"tone": "sarcastic"}, ("tone", "professional")),
        ({"platform": "ebay"}, ("platform", "woocommerce")),
        ({"seedKeywords": 42}, ("seedKeywords",)),
    ],
)
async def test_bad_copy_requests(
    client: httpx.AsyncClient,
    pro: WorkspaceInfo,
    services: AppServices,
    product: str,
    change: dict[str, Any],
    names: tuple[str, ...],
) -> None:
    await refused(client, pro, services, "POST", "/ai/listing", json={"productId": product, **change}, names=names)


async def test_another_workspaces_product_is_not_found(
    client: httpx.AsyncClient, pro: WorkspaceInfo, pro_b: WorkspaceInfo, services: AppServices, image_server: str
) -> None:
    theirs = (await create_product(client, pro_b, f"{image_server}/product.png"))["id"]
    for path, body in (("/ai/image", image(theirs)), ("/ai/listing", {"productId": theirs})):
        await refused(client, pro, services, "POST", path, json=body, status=404, error="not_found")
    await refused(client, pro, services, "GET", f"/export/{theirs}", status=404, error="not_found")
    await refused(client, pro, services, "GET", f"/products/{theirs}", status=404, error="not_found")


@pytest.mark.parametrize(
    ("path", "why"),
    [("/page.txt", "image"), ("/fake.png", "image"), ("/noise.png", "bytes"), ("/missing.png", "404")],
)
async def test_image_urls_that_are_no_usable_image(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices, image_server: str, path: str, why: str
) -> None:
    body = await refused(
        client,
        pro,
        services,
        "POST",
        "/products",
        json={"title": "Tea", "imageUrl": f"{image_server}{path}"},
        names=("imageUrl",),
    )
    assert list(body["fields"]) == ["imageUrl"]


@pytest.mark.parametrize("url", ["ftp://example.com/a.png", "file:///etc/passwd", "javascript:alert(1)", "tea.png"])
async def test_image_urls_that_are_not_http(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices, url: str
) -> None:
    await refused(
        client, pro, services, "POST", "/products", json={"title": "Tea", "imageUrl": url}, names=("imageUrl",)
    )


@pytest.mark.listing_settings(image_fetch_allow_private=False)
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "[::1]"])
async def test_private_image_urls_are_refused(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices, image_server: str, host: str
) -> None:
    port = image_server.rsplit(":", 1)[1]
    url = f"http://{host}:{port}/product.png"
    await refused(
        client, pro, services, "POST", "/products", json={"title": "Tea", "imageUrl": url}, names=("imageUrl",)
    )


async def test_malformed_json_and_missing_title(
    client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices, product: str
) -> None:
    before = await written(services, pro)
    for path in ("/products", "/ai/image", "/ai/listing"):
        response = await client.post(
            f"{API}{path}", content=b'{"title": ', headers={**pro.headers(), "Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_json"
        assert "JSON" in response.json()["message"]
    assert await written(services, pro) == before
    await refused(client, pro, services, "POST", "/products", json={"title": "  "}, names=("title",))
    await refused(client, pro, services, "POST", "/products", json=["title"], error="invalid_json")


@pytest.mark.parametrize("path", ["/products", "/assets"])
async def test_limit_over_100(client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices, path: str) -> None:
    body = await refused(client, pro, services, "GET", f"{path}?limit=101", names=("limit",))
    assert list(body["fields"]) == ["limit"]


async def test_bad_asset_filters(client: httpx.AsyncClient, pro: WorkspaceInfo, services: AppServices) -> None:
    body = await refused(
        client,
        pro,
        services,
        "GET",
        "/assets?platform=mars&style=NOPE&status=lost&productId=x",
        names=("platform", "style", "status", "productId"),
    )
    assert set(body["fields"]) == {"platform", "style", "status", "productId"}


async def test_refusals_read_in_the_dialect(client: httpx.AsyncClient, pro: WorkspaceInfo) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = await client.get(f"{API}/products", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    unknown = await client.get(f"{API}/nowhere", headers=pro.headers())
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    wrong = await client.delete(f"{API}/products", headers=pro.headers())
    assert wrong.status_code == 405 and wrong.json()["error"] == "method_not_allowed"
    assert set(wrong.headers["Allow"].split(", ")) == {"GET", "POST"}
