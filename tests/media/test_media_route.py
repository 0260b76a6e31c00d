"""``GET /media/{token}`` through the app: a signed link serves the stored bytes with their type, privately
cacheable for the link's remaining life; an expired, altered or dangling link answers in the service's own
``{"code", "message"}``."""

from __future__ import annotations

import asyncio
import io
import zipfile

from PIL import Image

from domain.media.service import MediaService
from domain.media.zipper import build_zip


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (0, 200, 0)).save(out, format="PNG")
    return out.getvalue()


async def stored(services, workspace, data: bytes, content_type: str | None = None):
    async with services.unit_of_work() as uow:
        service = MediaService(uow.session, services.media.storage)
        if content_type is None:
            return await service.store_image(workspace.workspace_id, data)
        return await service.store(workspace.workspace_id, data, content_type)


async def test_a_signed_link_serves_the_bytes_with_their_type(client, services, workspace):
    data = png()
    media = await stored(services, workspace, data)
    signed = services.media.urls.sign(media, ttl_seconds=120)
    response = await client.get(signed.path)  # no credentials: the link is the credential
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "image/png"
    cache = response.headers["cache-control"]
    assert cache.startswith("private, max-age=")
    assert 115 <= int(cache.rsplit("=", 1)[1]) <= 120
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-disposition" not in response.headers
    assert response.headers["etag"] == f'"{media.sha256}"'


async def test_a_signed_filename_makes_it_a_download(client, services, workspace):
    archive = build_zip([("amazon/front.png", png())])
    media = await stored(services, workspace, archive, "application/zip")
    signed = services.media.urls.sign(media, filename="listing-export prod_7 é.zip")
    response = await client.get(signed.path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"listing-export prod_7 _.zip\"; filename*=UTF-8''listing-export%20prod_7%20%C3%A9.zip"
    )
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist() == ["amazon/front.png"]


async def test_an_expired_link_is_refused(client, services, workspace):
    media = await stored(services, workspace, png())
    signed = services.media.urls.sign(media, ttl_seconds=1)
    assert (await client.get(signed.path)).status_code == 200
    await asyncio.sleep(1.1)
    response = await client.get(signed.path)
    assert response.status_code == 403
    assert response.json() == {"code": "link_expired", "message": "This media link has expired."}


async def test_an_altered_link_is_not_found(client, services, workspace):
    media = await stored(services, workspace, png())
    path = services.media.urls.sign(media).path
    flipped = path[:-1] + ("A" if path[-1] != "A" else "B")
    for bad in (flipped, "/media/garbage", "/media/" + "x" * 5000):
        response = await client.get(bad)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "This media link is not valid."}


async def test_a_link_to_a_file_no_longer_stored_is_not_found(client, services, workspace):
    media = await stored(services, workspace, png())
    signed = services.media.urls.sign(media)
    await services.media.storage.delete(media.storage_key)
    response = await client.get(signed.path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
