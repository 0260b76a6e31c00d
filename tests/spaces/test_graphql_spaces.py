"""The GraphQL twin: managing spaces (create, rename and max products, members in and out, notifications opt
in/out), reading them with their members and posts, and ``postProductToSpace`` with the REST surface's rules."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.context import AppServices
from tests.spaces.helpers import SAMPLE, Shop, counts, post, sample
from tests.support.graphql import gql

SPACE = """
query($id: ID!) { space(id: $id) {
  id spaceId name maxProducts productCount
  members { userId email role notify active }
  posts(first: 10) { totalCount edges { node { contentId postedByUserId productTitle productCurrencyCode
    productDesiredQuantity notificationProductPrice productImageUrl } } }
} }"""

POST = """
mutation($spaceId: ID!, $input: PostProductToSpaceInput!) {
  postProductToSpace(spaceId: $spaceId, input: $input) {
    contentId emailConfigMissing notified post { productTitle productCurrencyCode }
    userErrors { field code message }
  }
}"""


def as_input(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items()}


async def test_a_member_creates_a_space_and_manages_its_members(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    status, created = await gql(
        client,
        'mutation { createSpace(input: {name: " Lens club ", maxProducts: 5}) '
        "{ space { id spaceId name maxProducts productCount } userErrors { field message } } }",
        token=shop.carol,
    )
    assert status == 200, created
    space = created["data"]["createSpace"]["space"]
    assert (space["name"], space["maxProducts"], space["productCount"]) == ("Lens club", 5, 0)
    space_id = space["spaceId"]

    _, added = await gql(
        client,
        "mutation($s: ID!, $e: String!) { addSpaceMember(spaceId: $s, input: {email: $e, notify: true}) "
        "{ member { email role notify active } userErrors { field code message } } }",
        {"s": str(space_id), "e": shop.emails["alice"]},
        token=shop.carol,
    )
    assert added["data"]["addSpaceMember"]["member"] == {
        "email": shop.emails["alice"],
        "role": "MEMBER",
        "notify": True,
        "active": True,
    }
    # alice is a member, not an owner: she may not add others.
    _, refused = await gql(
        client,
        "mutation($s: ID!, $e: String!) { addSpaceMember(spaceId: $s, input: {email: $e}) { member { email } } }",
        {"s": str(space_id), "e": shop.emails["bob"]},
        token=shop.alice,
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    _, read = await gql(client, SPACE, {"id": space["id"]}, token=shop.alice)
    members = read["data"]["space"]["members"]
    assert [(m["email"], m["role"], m["notify"]) for m in members] == [
        (shop.emails["carol"], "OWNER", False),
        (shop.emails["alice"], "MEMBER", True),
    ]

    _, opted = await gql(
        client,
        "mutation($s: ID!) { setSpaceNotifications(spaceId: $s, notify: false) { member { email notify } } }",
        {"s": str(space_id)},
        token=shop.alice,
    )
    assert opted["data"]["setSpaceNotifications"]["member"] == {"email": shop.emails["alice"], "notify": False}

    _, renamed = await gql(
        client,
        "mutation($s: ID!) { updateSpace(id: $s, input: {maxProducts: 1}) { space { maxProducts } } }",
        {"s": space["id"]},
        token=shop.carol,
    )
    assert renamed["data"]["updateSpace"]["space"]["maxProducts"] == 1

    # alice leaves; the last owner cannot.
    user_of = {m["email"]: m["userId"] for m in members}
    _, left = await gql(
        client,
        "mutation($s: ID!, $u: Int!) { removeSpaceMember(spaceId: $s, userId: $u) "
        "{ removedUserId userErrors { code } } }",
        {"s": str(space_id), "u": user_of[shop.emails["alice"]]},
        token=shop.alice,
    )
    assert left["data"]["removeSpaceMember"]["removedUserId"] == user_of[shop.emails["alice"]]
    _, last = await gql(
        client,
        "mutation($s: ID!, $u: Int!) { removeSpaceMember(spaceId: $s, userId: $u) "
        "{ removedUserId userErrors { field message } } }",
        {"s": str(space_id), "u": user_of[shop.emails["carol"]]},
        token=shop.carol,
    )
    assert last["data"]["removeSpaceMember"]["removedUserId"] is None
    assert "at least one owner" in last["data"]["removeSpaceMember"]["userErrors"][0]["message"]
    # alice no longer sees the space.
    _, gone = await gql(client, SPACE, {"id": space["id"]}, token=shop.alice)
    assert gone["data"]["space"] is None


async def test_spaces_lists_the_callers_spaces(client: httpx.AsyncClient, shop: Shop) -> None:
    query = "{ spaces(first: 10) { totalCount edges { node { spaceId name } } } }"
    _, alices = await gql(client, query, token=shop.alice)
    assert [e["node"]["spaceId"] for e in alices["data"]["spaces"]["edges"]] == [shop.space_id]
    _, carols = await gql(client, query, token=shop.carol)
    assert carols["data"]["spaces"]["totalCount"] == 0
    # The owner's key holds workspace.members.manage: an admin sees every space.
    _, admins = await gql(client, query, token=shop.ws.api_key)
    assert admins["data"]["spaces"]["totalCount"] == 1


async def test_post_product_to_space_is_the_rest_command(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    _, posted = await gql(client, POST, {"spaceId": str(shop.space_id), "input": as_input(SAMPLE)}, token=shop.alice)
    payload = posted["data"]["postProductToSpace"]
    assert payload["userErrors"] == []
    assert payload["contentId"].isdigit()
    assert payload["emailConfigMissing"] is True
    assert payload["post"] == {"productTitle": "Samsung - F90BN Camcorder", "productCurrencyCode": "USD"}

    rest = await post(client, shop, shop.bob, sample(productCurrencyCode=..., productDesiredQuantity=...))
    assert rest.status_code == 201
    _, read = await gql(client, SPACE, {"id": str(shop.space_id)}, token=shop.alice)
    posts = read["data"]["space"]["posts"]
    assert posts["totalCount"] == 2
    newest, oldest = (e["node"] for e in posts["edges"])
    assert (newest["contentId"], oldest["contentId"]) == (rest.json()["contentId"], payload["contentId"])
    assert oldest["productDesiredQuantity"] == 1
    assert newest["productDesiredQuantity"] is None
    assert read["data"]["space"]["productCount"] == 2


async def test_post_product_to_space_refuses_what_rest_refuses(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    bad = sample(productCurrencyCode="US", notificationProductPrice="x", productImageUrl="https://elsewhere.org/a.jpg")
    _, answer = await gql(client, POST, {"spaceId": str(shop.space_id), "input": as_input(bad)}, token=shop.alice)
    errors = answer["data"]["postProductToSpace"]["userErrors"]
    assert [e["field"] for e in errors] == ["productCurrencyCode", "notificationProductPrice"]
    only_domain = sample(productImageUrl="https://elsewhere.org/a.jpg")
    _, answer = await gql(
        client, POST, {"spaceId": str(shop.space_id), "input": as_input(only_domain)}, token=shop.alice
    )
    assert [e["field"] for e in answer["data"]["postProductToSpace"]["userErrors"]] == ["productImageUrl"]

    _, outsider = await gql(client, POST, {"spaceId": str(shop.space_id), "input": as_input(SAMPLE)}, token=shop.carol)
    assert outsider["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


async def test_max_products_is_a_user_error(client: httpx.AsyncClient, services: AppServices, shop: Shop) -> None:
    await gql(
        client,
        "mutation($s: ID!) { updateSpace(id: $s, input: {maxProducts: 1}) { space { maxProducts } } }",
        {"s": str(shop.space_id)},
        token=shop.ws.api_key,
    )
    assert (await post(client, shop, shop.alice, SAMPLE)).status_code == 201
    _, full = await gql(client, POST, {"spaceId": str(shop.space_id), "input": as_input(SAMPLE)}, token=shop.alice)
    assert full["data"]["postProductToSpace"]["userErrors"][0]["code"] == "MAX_PRODUCTS_REACHED"
    assert await counts(services, shop.ws.workspace_id) == (1, 1, 0)


async def test_bad_space_input_is_user_errors(client: httpx.AsyncClient, shop: Shop) -> None:
    _, answer = await gql(
        client,
        'mutation { createSpace(input: {name: "  ", maxProducts: 0}) { space { id } userErrors { field } } }',
        token=shop.alice,
    )
    assert [e["field"] for e in answer["data"]["createSpace"]["userErrors"]] == ["name", "maxProducts"]
    _, unknown = await gql(
        client,
        'mutation($s: ID!) { addSpaceMember(spaceId: $s, input: {email: "nobody@example.com"}) '
        "{ member { email } userErrors { field } } }",
        {"s": str(shop.space_id)},
        token=shop.ws.api_key,
    )
    assert unknown["data"]["addSpaceMember"]["userErrors"] == [{"field": "email"}]


async def test_a_posts_uploaded_image_is_shown_by_a_fresh_link(client: httpx.AsyncClient, shop: Shop) -> None:
    from tests.spaces.test_media_upload import png, upload

    data = png((5, 5, 5))
    uploaded = (await upload(client, shop, shop.alice, data)).json()
    assert (await post(client, shop, shop.alice, sample(productImageUrl=uploaded["mediaUrl"]))).status_code == 201
    assert (await post(client, shop, shop.alice, SAMPLE)).status_code == 201
    _, read = await gql(
        client,
        "query($id: ID!) { space(id: $id) { posts { edges { node { productImageUrl imageUrl imageMediaId } } } } }",
        {"id": str(shop.space_id)},
        token=shop.bob,
    )
    plain, uploaded_post = (e["node"] for e in read["data"]["space"]["posts"]["edges"])
    assert plain["imageUrl"] == plain["productImageUrl"] == SAMPLE["productImageUrl"]
    assert uploaded_post["imageMediaId"] == uploaded["mediaId"]
    assert uploaded_post["imageUrl"].startswith("http://testserver/media/")
    assert (await client.get(uploaded_post["imageUrl"])).content == data
