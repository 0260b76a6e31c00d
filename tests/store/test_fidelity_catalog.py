"""Every problem of a catalog write comes back in one 422, the state rules included: a ``brand_id`` or
``parent_id`` that names nothing, a slug another object holds (or that keeps no letter or digit), a category
moved under its own descendant, an offer's ``merchant_offer_id`` left out. They are reported with the body's
other problems, in the order the command declares its fields, and nothing is written."""

from __future__ import annotations

from typing import Any

import httpx

from tests.store.conftest import ok

LISTS = ("/api/products", "/api/offers", "/api/categories", "/api/brands")
LONG = "x" * 300
TOO_LONG = "The title field must not be greater than 255 characters."
TAKEN = "The slug has already been taken."


async def _totals(client: httpx.AsyncClient, h: dict[str, str]) -> list[int]:
    return [ok(await client.get(path, headers=h))["meta"]["total"] for path in LISTS]


async def _create(client: httpx.AsyncClient, h: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = ok(await client.post(path, headers=h, json=body), 201)["data"]
    return created


async def _refused(
    client: httpx.AsyncClient, h: dict[str, str], method: str, path: str, body: dict[str, Any]
) -> dict[str, list[str]]:
    """The 422's errors, after checking its shape and that nothing changed."""
    before = await _totals(client, h)
    snapshot = [ok(await client.get(p, headers=h))["data"] for p in LISTS]
    r = await client.request(method, path, headers=h, json=body)
    assert r.status_code == 422, r.text
    answer = r.json()
    assert set(answer) == {"message", "errors"}
    errors: dict[str, list[str]] = answer["errors"]
    first = next(iter(errors.values()))[0]
    more = sum(len(m) for m in errors.values()) - 1
    assert answer["message"] == first + (f" (and {more} more error{'s' if more > 1 else ''})" if more else "")
    assert await _totals(client, h) == before
    assert [ok(await client.get(p, headers=h))["data"] for p in LISTS] == snapshot
    return errors


async def test_a_long_title_and_an_unknown_brand_answer_one_422_naming_both(client, h):
    errors = await _refused(client, h, "POST", "/api/products", {"title": LONG, "brand_id": 999_999})
    assert errors == {"title": [TOO_LONG], "brand_id": ["The selected brand id is invalid."]}


async def test_product_create_reports_taken_and_empty_slugs_with_everything_else(client, h):
    brand = await _create(client, h, "/api/brands", {"title": "Acme"})
    await _create(client, h, "/api/products", {"title": "Gadget", "brand_id": brand["id"]})
    body = {"title": LONG, "slug": "GADGET", "brand_id": 999_999, "review_quantity": "many"}
    errors = await _refused(client, h, "POST", "/api/products", body)
    assert list(errors) == ["title", "slug", "review_quantity", "brand_id"]  # the order the command declares
    assert errors["slug"] == [TAKEN]  # "GADGET" is stored as "gadget": taken
    errors = await _refused(client, h, "POST", "/api/products", {"title": LONG, "slug": "!!!"})
    assert errors == {"title": [TOO_LONG], "slug": ["The slug field must contain letters or digits."]}
    # A field that did not parse is not looked up: its own problem is the one reported.
    errors = await _refused(client, h, "POST", "/api/products", {"title": "ok", "brand_id": "7", "slug": 5})
    assert errors == {
        "slug": ["The slug field must be a string."],
        "brand_id": ["The brand id field must be an integer."],
    }


async def test_product_update_reports_state_rules_with_the_rest_but_keeps_its_own_slug(client, h):
    mine = await _create(client, h, "/api/products", {"title": "Mine"})
    await _create(client, h, "/api/products", {"title": "Other"})
    path = f"/api/products/{mine['id']}"
    errors = await _refused(client, h, "PATCH", path, {"title": LONG, "slug": "other", "brand_id": 424242})
    assert errors == {"title": [TOO_LONG], "slug": [TAKEN], "brand_id": ["The selected brand id is invalid."]}
    # The product's own slug is not "taken" by it.
    updated = ok(await client.patch(path, headers=h, json={"slug": "MINE", "subtitle": "s"}))["data"]
    assert (updated["slug"], updated["subtitle"]) == ("mine", "s")


async def test_a_deleted_products_slug_stays_taken(client, h):
    gone = await _create(client, h, "/api/products", {"title": "Gone"})
    ok(await client.delete(f"/api/products/{gone['id']}", headers=h), 204)
    errors = await _refused(client, h, "POST", "/api/products", {"title": LONG, "slug": "gone"})
    assert errors == {"title": [TOO_LONG], "slug": [TAKEN]}


async def test_offer_merchant_offer_id_is_reported_with_the_other_problems(client, h):
    errors = await _refused(client, h, "POST", "/api/offers", {"title": LONG, "price": "cheap"})
    assert errors == {
        "merchant": ["The merchant field is required."],
        "title": [TOO_LONG],
        "merchant_offer_id": ["The merchant offer id field is required."],
        "price": ["The price field must be a number."],
        "url_detail": ["The url detail field is required."],
    }
    # Blank is no id either; the deprecated alias stands in for it.
    base = {"merchant": "amazon", "title": "T", "url_detail": "https://a.example/x"}
    errors = await _refused(client, h, "POST", "/api/offers", {**base, "merchant_offer_id": " ", "currency": LONG})
    assert errors == {
        "merchant_offer_id": ["The merchant offer id field is required."],
        "currency": ["The currency field must not be greater than 10 characters."],
    }
    offer = await _create(client, h, "/api/offers", {**base, "merchant_product_id": "B0LEGACY"})
    assert offer["merchant_offer_id"] == "B0LEGACY"
    path = f"/api/offers/{offer['id']}"
    errors = await _refused(client, h, "PATCH", path, {"merchant_offer_id": "", "title": LONG})
    assert errors == {"title": [TOO_LONG], "merchant_offer_id": ["The merchant offer id field is required."]}
    # An update that leaves the id out keeps it; the alias with a value replaces a blank id.
    assert ok(await client.patch(path, headers=h, json={"price": 3}))["data"]["merchant_offer_id"] == "B0LEGACY"
    body = {"merchant_offer_id": "", "merchant_product_id": "B0NEW"}
    assert ok(await client.patch(path, headers=h, json=body))["data"]["merchant_offer_id"] == "B0NEW"


async def test_category_writes_report_parent_cycle_and_slug_at_once(client, h):
    root = await _create(client, h, "/api/categories", {"title": "Root"})
    child = await _create(client, h, "/api/categories", {"title": "Child", "parent_id": root["id"]})
    body = {"title": LONG, "slug": "child", "parent_id": 999_999, "sort_order": "1"}
    errors = await _refused(client, h, "POST", "/api/categories", body)
    assert errors == {
        "title": [TOO_LONG],
        "slug": [TAKEN],
        "parent_id": ["The selected parent id is invalid."],
        "sort_order": ["The sort order field must be an integer."],
    }
    path = f"/api/categories/{root['id']}"
    for parent in (root["id"], child["id"]):  # itself, or one of its descendants
        errors = await _refused(client, h, "PATCH", path, {"title": LONG, "slug": "child", "parent_id": parent})
        assert errors == {
            "title": [TOO_LONG],
            "slug": [TAKEN],
            "parent_id": ["The parent id cannot be the category itself or one of its descendants."],
        }
    assert ok(await client.patch(path, headers=h, json={"slug": "root"}))["data"]["slug"] == "root"


async def test_brand_writes_report_every_problem(client, h):
    acme = await _create(client, h, "/api/brands", {"title": "Acme"})
    await _create(client, h, "/api/brands", {"title": "Globex"})
    errors = await _refused(client, h, "POST", "/api/brands", {"title": LONG, "slug": "Acme", "enabled": "yes"})
    assert errors == {"title": [TOO_LONG], "slug": [TAKEN], "enabled": ["The enabled field must be true or false."]}
    path = f"/api/brands/{acme['id']}"
    errors = await _refused(client, h, "PATCH", path, {"title": "", "slug": "globex"})
    assert errors == {"title": ["The title field is required."], "slug": [TAKEN]}
    assert ok(await client.patch(path, headers=h, json={"slug": "acme", "title": "ACME"}))["data"]["title"] == "ACME"


async def test_another_stores_slugs_and_ids_are_not_this_stores(client, h, oh):
    theirs = await _create(client, oh, "/api/brands", {"title": "Theirs"})
    errors = await _refused(client, h, "POST", "/api/products", {"title": LONG, "brand_id": theirs["id"]})
    assert errors == {"title": [TOO_LONG], "brand_id": ["The selected brand id is invalid."]}
    assert (await _create(client, h, "/api/brands", {"title": "Mine", "slug": "theirs"}))["slug"] == "theirs"
