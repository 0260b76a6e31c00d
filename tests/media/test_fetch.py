"""The image fetcher against real HTTP servers on loopback: what it fetches, and each thing it refuses
(with a sentence saying why) — schemes, private addresses (also after a redirect), what is not an image,
what is too large (also when Content-Length lies), too many redirects, slow servers."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from domain.errors import InvalidInput
from tests.support.serving import serving
from workers.media.fetch import HttpImageFetcher

CAP = 256 * 1024
PUBLIC = "93.184.216.34"  # a global address; the test network below routes it to the loopback server


def png(size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


GOOD = png()


class Resolver:
    """A DNS stand-in: each name resolves to the address given for it; IP literals to themselves."""

    def __init__(self, **names: str) -> None:
        self.names = {name.replace("_", "."): [address] for name, address in names.items()}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host.replace(".", "").isdigit() or ":" in host:
            return [host]
        if host not in self.names:
            raise OSError(f"unknown host {host}")
        return self.names[host]


class RoutedNetwork(httpx.AsyncHTTPTransport):
    """The network under the fetcher's checks: connections to the ``PUBLIC`` address reach the loopback server
    (as a NAT would), everything else goes where it says."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == PUBLIC:
            request.url = request.url.copy_with(host="127.0.0.1")
        return await super().handle_async_request(request)


def image_server() -> Starlette:
    seen: list[dict[str, str]] = []

    async def good(request: Request) -> Response:
        seen.append(dict(request.headers))
        return Response(GOOD, media_type=request.query_params.get("type", "image/png"))

    async def page(request: Request) -> Response:
        return Response("<html>hello</html>", media_type="text/html")

    async def fake(request: Request) -> Response:
        return Response(b"<html>I say I am a PNG</html>", media_type="image/png")

    async def endless(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield GOOD[:16]
            for _ in range(64):
                yield b"\0" * 65536

        return StreamingResponse(body(), media_type="image/png")  # chunked: no Content-Length

    async def declared_big(request: Request) -> Response:
        return Response(GOOD + b"\0" * CAP, media_type="image/png")

    async def hop(request: Request) -> Response:
        left = int(request.path_params["left"])
        return RedirectResponse("/good.png" if left == 0 else f"/hop/{left - 1}", status_code=302)

    async def to(request: Request) -> Response:
        return RedirectResponse(request.query_params["url"], status_code=int(request.query_params.get("code", 302)))

    async def no_location(request: Request) -> Response:
        return Response(status_code=302)

    async def missing(request: Request) -> Response:
        return Response("gone", status_code=404)

    async def slow(request: Request) -> Response:
        await asyncio.sleep(3)
        return Response(GOOD, media_type="image/png")

    app = Starlette(
        routes=[
            Route("/good.png", good),
            Route("/page", page),
            Route("/fake.png", fake),
            Route("/endless.png", endless),
            Route("/declared-big.png", declared_big),
            Route("/hop/{left}", hop),
            Route("/to", to),
            Route("/no-location", no_location),
            Route("/missing.png", missing),
            Route("/slow.png", slow),
        ]
    )
    app.state.seen = seen
    return app


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[tuple[str, Starlette]]:
    app = image_server()
    async with serving(app) as url:
        yield url, app


@asynccontextmanager
async def lying_server() -> AsyncIterator[str]:
    """Says ``Content-Length: 100`` and sends megabytes (chunked): the cap must count what arrives."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = GOOD[:16] + b"\0" * 65520
        try:
            for _ in range(32):
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
            writer.write(b"0\r\n\r\n")
            await writer.drain()
        except ConnectionError:
            pass  # the fetcher hung up once it had enough
        finally:
            writer.close()

    tcp = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with tcp:
        yield f"http://127.0.0.1:{tcp.sockets[0].getsockname()[1]}"


def fetcher(**options) -> HttpImageFetcher:
    values: dict[str, Any] = {"allow_private": True, "max_bytes": CAP, "timeout_seconds": 5}
    values.update(options)
    return HttpImageFetcher(**values)


async def refused(fetch, url: str, field: str = "imageUrl") -> str:
    with pytest.raises(InvalidInput) as caught:
        await fetch.fetch(url, field=field)
    (error,) = caught.value.field_errors
    assert error.field == field
    return error.message


# --- fetched --------------------------------------------------------------------------------------------


async def test_a_good_image_is_fetched_with_its_type(server):
    url, _ = server
    got = await fetcher().fetch(f"{url}/good.png")
    assert (got.data, got.content_type, got.url) == (GOOD, "image/png", f"{url}/good.png")


async def test_an_image_served_as_octet_stream_is_known_by_its_bytes(server):
    url, _ = server
    got = await fetcher().fetch(f"{url}/good.png?type=application/octet-stream")
    assert got.content_type == "image/png"


async def test_up_to_three_redirects_are_followed_to_the_image(server):
    url, _ = server
    got = await fetcher().fetch(f"{url}/hop/2")  # /hop/2 -> /hop/1 -> /hop/0 -> /good.png
    assert got.data == GOOD and got.url == f"{url}/good.png"


async def test_the_request_goes_to_the_checked_address_with_the_urls_host(server):
    """images.test exists in no DNS: only the one lookup's answer can have reached the server, which still
    sees the URL's host."""
    url, app = server
    port = url.rsplit(":", 1)[1]
    resolver = Resolver(images_test="127.0.0.1")
    got = await fetcher(resolver=resolver).fetch(f"http://images.test:{port}/good.png")
    assert got.data == GOOD
    assert resolver.asked == ["images.test"]
    assert app.state.seen[-1]["host"] == f"images.test:{port}"


async def test_a_public_address_is_fetched_with_private_ones_refused(server):
    url, _ = server
    port = url.rsplit(":", 1)[1]
    strict = fetcher(allow_private=False, resolver=Resolver(shop_example=PUBLIC), transport=RoutedNetwork())
    got = await strict.fetch(f"http://shop.example:{port}/good.png")
    assert got.data == GOOD


# --- refused --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a.png", "file:///etc/passwd", "javascript:alert(1)", "data:image/png;base64,AAAA", "/a.png"],
)
async def test_only_absolute_http_urls_are_fetched(url):
    assert "absolute http or https URL" in await refused(fetcher(), url)


async def test_urls_with_credentials_or_too_long_are_refused():
    assert "credentials" in await refused(fetcher(), "http://user:pw@example.com/a.png")
    assert "at most 2048" in await refused(fetcher(), "http://example.com/" + "a" * 2100)
    assert "not a valid URL" in await refused(fetcher(), "http://example.com:99999/a.png")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "192.168.1.20"])
async def test_a_host_resolving_to_a_private_address_is_refused_before_connecting(address):
    message = await refused(
        fetcher(allow_private=False, resolver=Resolver(images_test=address)), "http://images.test/a.png"
    )
    assert f"private or loopback address {address}" in message
    assert "SHOPWRIGHT_IMAGE_FETCH_ALLOW_PRIVATE" in message


async def test_a_private_ip_literal_is_refused(server):
    url, _ = server
    message = await refused(fetcher(allow_private=False), f"{url}/good.png")
    assert "private or loopback address 127.0.0.1" in message


async def test_a_redirect_to_a_private_address_is_refused(server):
    url, app = server
    port = url.rsplit(":", 1)[1]
    network = Resolver(shop_example=PUBLIC, internal_test="10.1.2.3")
    strict = fetcher(allow_private=False, resolver=network, transport=RoutedNetwork())
    before = len(app.state.seen)
    message = await refused(strict, f"http://shop.example:{port}/to?url=http://127.0.0.1:{port}/good.png")
    assert "private or loopback address 127.0.0.1" in message
    message = await refused(strict, f"http://shop.example:{port}/to?url=http://internal.test/good.png&code=307")
    assert "internal.test resolves to the private or loopback address 10.1.2.3" in message
    assert len(app.state.seen) == before  # no private hop was ever requested


async def test_a_redirect_to_another_scheme_is_refused(server):
    url, _ = server
    assert "absolute http or https URL" in await refused(fetcher(), f"{url}/to?url=file:///etc/passwd")


async def test_more_than_three_redirects_are_refused(server):
    url, _ = server
    assert "redirected more than 3 times" in await refused(fetcher(), f"{url}/hop/3")
    assert "without a Location" in await refused(fetcher(), f"{url}/no-location")


async def test_what_is_not_an_image_is_refused(server):
    url, _ = server
    assert "does not point to an image (it is text/html)" in await refused(fetcher(), f"{url}/page")
    assert "not point to a PNG, JPEG, WebP or GIF" in await refused(fetcher(), f"{url}/fake.png")
    assert "answered HTTP 404" in await refused(fetcher(), f"{url}/missing.png")


async def test_too_large_is_refused_by_content_length_and_by_what_arrives(server):
    url, _ = server
    assert "larger than the 262,144 bytes" in await refused(fetcher(), f"{url}/declared-big.png")
    assert "larger than the 262,144 bytes" in await refused(fetcher(), f"{url}/endless.png")


async def test_too_large_is_refused_when_content_length_lies():
    async with lying_server() as url:
        assert "larger than the 262,144 bytes" in await refused(fetcher(), f"{url}/a.png")


async def test_a_slow_server_is_given_up_on(server):
    url, _ = server
    message = await refused(fetcher(timeout_seconds=0.5), f"{url}/slow.png", field="images.0")
    assert "did not arrive within 0.5 seconds" in message


async def test_an_unresolvable_host_or_closed_port_is_refused():
    assert "Cannot resolve nowhere.test" in await refused(fetcher(resolver=Resolver()), "http://nowhere.test/a.png")
    message = await refused(fetcher(), "http://127.0.0.1:9/a.png")  # the discard port: nothing listens
    assert "Cannot fetch the image from 127.0.0.1" in message
