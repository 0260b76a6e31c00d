"""The S3-compatible backend against a small S3 stand-in on loopback (path-style PUT, GET and DELETE of
objects, answering like S3): objects round-trip with their content type under the configured prefix, a
missing one is ``MediaMissing``, and every request carries an AWS Signature V4 that the stand-in verifies
with the configured secret."""

from __future__ import annotations

import hashlib
import hmac
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.media.ports import MediaMissing
from tests.support.serving import serving
from workers.media.local import InvalidKey
from workers.media.s3 import S3Storage

ACCESS_KEY, SECRET_KEY, REGION = "AKIDSHOPWRIGHT", "s3-test-secret", "eu-west-1"
NOT_FOUND = (
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>'
    "<Message>The specified key does not exist.</Message></Error>"
)


def sigv4_valid(request: Request, body: bytes) -> bool:
    """Recomputes the request's AWS Signature V4 (header form) with the test secret."""
    auth = request.headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return False
    fields = dict(part.strip().split("=", 1) for part in auth.removeprefix("AWS4-HMAC-SHA256 ").split(","))
    access_key, date, region, service, _terminal = fields["Credential"].split("/")
    if (access_key, region, service) != (ACCESS_KEY, REGION, "s3"):
        return False
    signed = fields["SignedHeaders"].split(";")
    payload_hash = request.headers["x-amz-content-sha256"]
    if payload_hash != "UNSIGNED-PAYLOAD" and payload_hash != hashlib.sha256(body).hexdigest():
        return False
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(request.query_params.multi_items())
    )
    canonical = "\n".join(
        [
            request.method,
            quote(request.url.path, safe="/-_.~"),
            query,
            "".join(f"{h}:{' '.join(request.headers[h].split())}\n" for h in signed),
            fields["SignedHeaders"],
            payload_hash,
        ]
    )
    scope = f"{date}/{region}/s3/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", request.headers["x-amz-date"], scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = f"AWS4{SECRET_KEY}".encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["Signature"])


def s3_stand_in() -> Starlette:
    objects: dict[str, tuple[bytes, str]] = {}
    log: list[tuple[str, str]] = []

    async def obj(request: Request) -> Response:
        body = await request.body()
        if not sigv4_valid(request, body):
            return Response("<Error><Code>SignatureDoesNotMatch</Code></Error>", status_code=403)
        path = request.url.path
        log.append((request.method, path))
        if request.method == "PUT":
            objects[path] = (body, request.headers.get("content-type", "binary/octet-stream"))
            return Response(headers={"ETag": '"' + hashlib.md5(body).hexdigest() + '"'})
        if request.method == "DELETE":
            objects.pop(path, None)
            return Response(status_code=204)
        if request.method == "POST" and "delete" in request.query_params:  # DeleteObjects, what obstore sends
            keys = [el.text or "" for el in ET.fromstring(body).iter() if el.tag.endswith("Key")]
            for key in keys:
                objects.pop(f"{path}/{key}", None)
            deleted = "".join(f"<Deleted><Key>{key}</Key></Deleted>" for key in keys)
            return Response(f"<DeleteResult>{deleted}</DeleteResult>", media_type="application/xml")
        if path not in objects:
            return Response(NOT_FOUND, status_code=404, media_type="application/xml")
        data, content_type = objects[path]
        return Response(data, media_type=content_type, headers={"Last-Modified": "Mon, 30 Nov 2026 10:00:00 GMT"})

    app = Starlette(routes=[Route("/{path:path}", obj, methods=["GET", "PUT", "DELETE", "POST"])])
    app.state.objects = objects
    app.state.log = log
    return app


@pytest.fixture(scope="module")
async def s3() -> AsyncIterator[tuple[str, Starlette]]:
    app = s3_stand_in()
    async with serving(app) as url:
        yield url, app


def storage(url: str, **overrides) -> S3Storage:
    values: dict[str, Any] = {
        "endpoint_url": url,
        "region": REGION,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "prefix": "shop/media",
    }
    values.update(overrides)
    return S3Storage("media-bucket", **values)


async def test_objects_round_trip_under_the_prefix_with_their_type(s3):
    url, app = s3
    store = storage(url)
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    await store.put("ws-1/abc.png", data, "image/png")
    assert app.state.objects["/media-bucket/shop/media/ws-1/abc.png"] == (data, "image/png")
    assert await store.get("ws-1/abc.png") == data
    await store.delete("ws-1/abc.png")
    assert "/media-bucket/shop/media/ws-1/abc.png" not in app.state.objects
    with pytest.raises(MediaMissing):
        await store.get("ws-1/abc.png")
    await store.delete("ws-1/abc.png")  # deleting what is gone is no error


async def test_a_wrong_secret_is_refused_by_the_server(s3):
    url, app = s3
    before = len(app.state.log)
    with pytest.raises(Exception) as failed:
        await storage(url, secret_access_key="not-the-secret").put("ws-1/x.png", b"x", "image/png")
    assert not isinstance(failed.value, MediaMissing)
    assert len(app.state.log) == before  # nothing reached the objects


@pytest.mark.parametrize("key", ["../x.png", "/abs.png", "a//b.png", "a\\b.png"])
async def test_keys_are_checked_as_on_the_local_disk(s3, key):
    url, _ = s3
    with pytest.raises(InvalidKey):
        await storage(url).put(key, b"x", "image/png")


def test_a_bucket_is_required():
    with pytest.raises(ValueError, match="SHOPWRIGHT_MEDIA_S3_BUCKET"):
        S3Storage("")
