"""Settings: flat {group}_{setting} keys, per-group get and patch, defaults, validation, isolation."""

from __future__ import annotations

import pytest

from domain.store.settings import GROUPS
from tests.store.conftest import ok


async def test_all_settings_are_flat_with_documented_defaults(client, h, workspace):
    body = ok(await client.get("/api/settings", headers=h))
    data = body["data"]
    # The document's example keys, with their defaults (the store name defaults to the workspace name).
    assert data["store_name"] == "Workspace A"
    assert data["store_niche"] is None
    assert data["product_show_reviews"] is True
    assert data["offers_amazon_enabled"] is True
    assert data["store_live"] is True and data["store_default_country"] == "US"
    assert data["xml-sitemap_enabled"] is True
    expected = {f"{g}_{n}" for g, settings in GROUPS.items() for n in settings}
    assert set(data) == expected


async def test_patch_all_then_read_back(client, h):
    # The document's example request and response.
    r = await client.patch(
        "/api/settings", headers=h, json={"store_name": "My Updated Store", "product_show_reviews": False}
    )
    body = ok(r)
    assert body["message"] == "Settings saved successfully."
    data = ok(await client.get("/api/settings", headers=h))["data"]
    assert data["store_name"] == "My Updated Store"
    assert data["product_show_reviews"] is False


@pytest.mark.parametrize("group", list(GROUPS))
async def test_every_documented_group_reads_unprefixed(client, h, group):
    data = ok(await client.get(f"/api/settings/{group}", headers=h))["data"]
    assert set(data) == set(GROUPS[group])


async def test_group_get_and_patch(client, h):
    # The document's example: keys without the group prefix.
    r = await client.patch("/api/settings/store", headers=h, json={"name": "My Updated Store", "niche": "tech"})
    body = ok(r)
    assert body["message"] == "Settings saved successfully."
    data = ok(await client.get("/api/settings/store", headers=h))["data"]
    assert {k: data[k] for k in ("name", "niche", "live", "default_country")} == {
        "name": "My Updated Store",
        "niche": "tech",
        "live": True,
        "default_country": "US",
    }
    assert ok(await client.get("/api/settings", headers=h))["data"]["store_niche"] == "tech"
    # null resets to the default
    ok(await client.patch("/api/settings/store", headers=h, json={"niche": None}))
    assert ok(await client.get("/api/settings/store", headers=h))["data"]["niche"] is None


async def test_xml_sitemap_group_with_hyphen(client, h):
    ok(await client.patch("/api/settings", headers=h, json={"xml-sitemap_include_pages": False}))
    assert ok(await client.get("/api/settings/xml-sitemap", headers=h))["data"]["include_pages"] is False


async def test_unknown_group_is_404(client, h):
    for method in ("get", "patch"):
        kwargs = {"json": {"name": "x"}} if method == "patch" else {}
        r = await getattr(client, method)("/api/settings/nope", headers=h, **kwargs)
        assert r.status_code == 404
        assert r.json() == {"message": "The API resource was not found"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"store_nonsense": 1}, "store_nonsense"),
        ({"nogroup": 1}, "nogroup"),
        ({"store_live": "yes"}, "store_live"),
        ({"product_per_page": "many"}, "product_per_page"),
        ({"product_per_page": 1000}, "product_per_page"),
        ({"store_name": 12}, "store_name"),
        ({"store_name": "x" * 256}, "store_name"),
        ({"store_default_country": "XX"}, "store_default_country"),
        ({"store_enabled_countries": ["US", "ZZ"]}, "store_enabled_countries"),
        ({"template_image_source": "magic"}, "template_image_source"),
    ],
)
async def test_bad_settings_are_422_and_nothing_is_written(client, h, body, field):
    r = await client.patch("/api/settings", headers=h, json={"store_niche": "written?", **body})
    assert r.status_code == 422, r.text
    payload = r.json()
    assert set(payload) == {"message", "errors"} and field in payload["errors"]
    assert ok(await client.get("/api/settings", headers=h))["data"]["store_niche"] is None


async def test_group_patch_refuses_prefixed_or_unknown_keys(client, h):
    r = await client.patch("/api/settings/store", headers=h, json={"store_name": "x"})
    assert r.status_code == 422 and "store_name" in r.json()["errors"]


async def test_malformed_json_is_422(client, h):
    r = await client.patch("/api/settings", headers={**h, "Content-Type": "application/json"}, content=b"{nope")
    assert r.status_code == 422
    assert set(r.json()) == {"message", "errors"}
    r = await client.patch("/api/settings", headers=h, json=["not", "an", "object"])
    assert r.status_code == 422


async def test_settings_are_per_workspace(client, h, oh):
    ok(await client.patch("/api/settings", headers=h, json={"store_niche": "cameras"}))
    assert ok(await client.get("/api/settings", headers=oh))["data"]["store_niche"] is None
    assert ok(await client.get("/api/settings", headers=oh))["data"]["store_name"] == "Workspace B"


async def test_unauthenticated(client):
    r = await client.get("/api/settings")
    assert r.status_code == 401 and r.json() == "Unauthorized."
    r = await client.get("/api/settings", headers={"Authorization": "Bearer swk_nope"})
    assert r.status_code == 401 and r.json() == "Unauthorized."
