"""Bad input to the storefront surface: each answered in its dialect ({"statusCode", "error", "message"}), and
nothing written."""

from __future__ import annotations

import pytest

from tests.marketing.helpers import PREFIX, make_product, submit, written
from tests.support.factories import add_member, make_workspace


@pytest.fixture
async def product(services, workspace):
    return await make_product(services, workspace)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"postsCount": 0}, "postsCount"),
        ({"postsCount": 4}, "postsCount"),
        ({"postsCount": "three"}, "postsCount"),
        ({"imageType": "reel"}, "imageType"),
        ({"artStyle": "cubist"}, "artStyle"),
        ({"mood": "grumpy"}, "mood"),
        ({"background": "plaid"}, "background"),
        ({"productComposition": "pile"}, "productComposition"),
        ({"visualBoldness": "extreme"}, "visualBoldness"),
        ({"generateImages": "maybe"}, "generateImages"),
        ({"useProductImages": "perhaps"}, "useProductImages"),
        ({"tone": "x" * 101}, "tone"),
        ({"adType": "x" * 101}, "adType"),
        ({"focusPoints": "x" * 1001}, "focusPoints"),
        ({"targetAudience": "x" * 501}, "targetAudience"),
        ({"imagePrompt": "x" * 2001}, "imagePrompt"),
    ],
)
async def test_each_bad_parameter_is_a_400_naming_it(client, services, workspace, product, query, field):
    before = await written(services, workspace)
    response = await submit(client, workspace, product, **query)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["statusCode"] == 400 and body["error"] == "Bad Request"
    assert list(body["errors"]) == [field] and field in body["message"]
    assert await written(services, workspace) == before


async def test_every_problem_is_reported_at_once_with_the_allowed_values(client, services, workspace, product):
    response = await submit(client, workspace, product, postsCount=9, mood="grumpy", artStyle="cubist")
    body = response.json()
    assert set(body["errors"]) == {"postsCount", "mood", "artStyle"}
    assert "luxury, soft_feminine, modern, medical_clean" in body["errors"]["mood"][0]
    assert "3" in body["errors"]["postsCount"][0]


async def test_another_workspaces_product_or_workspace_id_is_a_404(client, services, workspace, product):
    other = await make_workspace(services, name="Other shop")
    theirs = await make_product(services, other)
    before = await written(services, workspace)
    response = await submit(client, workspace, theirs)
    assert response.status_code == 404
    assert response.json()["statusCode"] == 404 and response.json()["error"] == "Not Found"
    # The caller's own product under another workspace's id: the workspace is not found.
    path = f"{PREFIX}/{other.workspace_id}/storefront/products/{product}/generate-post"
    response = await client.post(path, headers=workspace.headers())
    assert response.status_code == 404 and "Workspace" in response.json()["message"]
    for missing in ("999999", "abc", "0"):
        response = await submit(client, workspace, missing)
        assert response.status_code == 404, missing
    assert await written(services, workspace) == before
    assert await written(services, other) == {"jobs": 0, "posts": 0, "entries": 0}


async def test_a_caller_without_store_products_manage_is_a_403(client, services, workspace, product):
    token = await add_member(services, workspace, "viewer@example.com", "viewer")
    before = await written(services, workspace)
    response = await submit(client, workspace, product, token=token)
    assert response.status_code == 403
    assert response.json()["statusCode"] == 403 and response.json()["error"] == "Forbidden"
    staff = await add_member(services, workspace, "staff@example.com", "staff")
    assert (await submit(client, workspace, product, token=staff)).status_code == 200
    assert (await written(services, workspace))["jobs"] == before["jobs"] + 1


async def test_no_credentials_is_a_401_and_unknown_paths_answer_in_the_dialect(client, workspace, product):
    path = f"{PREFIX}/{workspace.workspace_id}/storefront/products/{product}/generate-post"
    response = await client.post(path)
    assert response.status_code == 401 and response.json()["error"] == "Unauthorized"
    response = await client.get(path, headers=workspace.headers())
    assert response.status_code == 405 and response.json()["statusCode"] == 405
    response = await client.post(f"{PREFIX}/{workspace.workspace_id}/nothing", headers=workspace.headers())
    assert response.status_code == 404 and response.json()["error"] == "Not Found"


async def test_images_for_a_product_without_any_image_are_refused(client, services, workspace):
    bare = await make_product(services, workspace, photo=b"")
    before = await written(services, workspace)
    for flag in ("generateImages", "useProductImages"):
        response = await submit(client, workspace, bare, None, **{flag: True})
        assert response.status_code == 400 and list(response.json()["errors"]) == [flag]
    assert await written(services, workspace) == before
    assert (await submit(client, workspace, bare)).status_code == 200  # words alone need no image


async def test_the_store_api_under_api_still_answers(client, workspace):
    response = await client.get("/api/products", headers=workspace.headers())
    assert response.status_code == 200 and "data" in response.json()
