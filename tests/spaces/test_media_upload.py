"""``POST /swm/rs/v1/spaces/{spaceId}/media``: a post's image, uploaded as raw bytes, stored through the media
port, and usable as the post's productImageUrl."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy import func, select

from domain.media.models import MediaFile
from resolvers.context import AppServices
from tests.spaces.helpers import Shop, counts, post, sample, stored_post


def png(color: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient, shop: Shop, token: str, data: bytes, content_type: str = "image/png"
) -> httpx.Response:
    headers = {**shop.headers(token), "content-type": content_type}
    return await client.post(shop.path(what="media"), content=data, headers=headers)


async def media_count(services: AppServices, workspace_id: str) -> int:
    async with services.read() as session:
        found = await session.scalar(
            select(func.count()).select_from(MediaFile).where(MediaFile.workspace_id == workspace_id)
        )
    return int(found or 0)


async def test_an_uploaded_image_is_stored_and_served_by_its_signed_link(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    data = png()
    response = await upload(client, shop, shop.alice, data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["response"] == {"code": "201.0", "developerMessage": "media resource created"}
    assert body["mediaUrl"].startswith("http://testserver/media/")
    assert body["expiresAt"].endswith("Z")
    served = await client.get(body["mediaUrl"])
    assert served.status_code == 200
    assert served.content == data
    assert served.headers["content-type"] == "image/png"


async def test_a_post_may_use_the_uploaded_images_link(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    uploaded = (await upload(client, shop, shop.alice, png())).json()
    response = await post(client, shop, shop.alice, sample(productImageUrl=uploaded["mediaUrl"]))
    assert response.status_code == 201, response.text
    stored = await stored_post(services, shop.ws.workspace_id, response.json()["contentId"])
    assert stored.image_media_id == uploaded["mediaId"]
    assert stored.product_image_url == uploaded["mediaUrl"]


async def test_another_workspaces_upload_link_is_not_the_store_domain(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    from tests.spaces.helpers import make_shop

    other = await make_shop(services)
    theirs = (await upload(client, other, other.alice, png((1, 2, 3)))).json()
    response = await post(client, shop, shop.alice, sample(productImageUrl=theirs["mediaUrl"]))
    assert response.status_code == 400
    assert response.json()["response"]["code"] == "400.5"
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)


async def test_bytes_that_are_no_image_are_400_6_and_nothing_is_stored(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    for data in (b"this is not a png", b""):
        response = await upload(client, shop, shop.alice, data)
        assert response.status_code == 400
        assert response.json()["response"]["code"] == "400.6"
        assert response.json()["errors"][0]["field"] == "file"
    assert await media_count(services, shop.ws.workspace_id) == 0


async def test_a_type_that_is_no_image_type_is_415(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    for content_type in ("application/json", "text/plain", "image/svg+xml"):
        response = await upload(client, shop, shop.alice, png(), content_type)
        assert response.status_code == 415
        assert response.json()["response"]["code"] == "415.0"
    assert await media_count(services, shop.ws.workspace_id) == 0


async def test_only_space_members_upload(client: httpx.AsyncClient, services: AppServices, shop: Shop) -> None:
    response = await upload(client, shop, shop.carol, png())
    assert response.status_code == 403
    assert response.json() == {"response": {"code": "403.1", "developerMessage": "not space member"}}
    assert await media_count(services, shop.ws.workspace_id) == 0


async def test_an_upload_over_the_body_limit_is_413(
    client: httpx.AsyncClient, services: AppServices, shop: Shop
) -> None:
    response = await upload(client, shop, shop.alice, b"\x89PNG" + b"0" * services.max_body_bytes)
    assert response.status_code == 413
    assert response.json()["response"]["code"] == "413.0"
