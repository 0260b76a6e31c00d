"""Importing an image from a caller's URL, with the callbacks' address guard (``workers.outbound``).

Each hop (the URL, then at most ``max_redirects`` redirects) is checked on its own: http(s) only, the host
resolved once and every address checked, the request sent to the checked address. The body is streamed and
cut off at ``max_bytes`` whatever ``Content-Length`` claims; the declared type must be an image type (or
neutral, like ``application/octet-stream``) and the first bytes must be a PNG, JPEG, WebP or GIF signature.
The whole download, redirects included, has one deadline. Every refusal is an ``InvalidInput`` on the
caller's field, with a sentence saying what was wrong.
"""

from __future__ import annotations

import asyncio
import ssl

import httpx

from domain.errors import InvalidInput
from domain.media.fetch import (
    ACCEPTED_TYPES,
    NEUTRAL_TYPES,
    SNIFF_BYTES,
    declared_type,
    sniff_image_type,
    validate_image_url,
)
from domain.media.ports import FetchedImage
from workers.outbound import OutboundRefused, Resolver, checked_destination, resolve, send_to_checked

ALLOW_PRIVATE_SETTING = "SHOPWRIGHT_IMAGE_FETCH_ALLOW_PRIVATE"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class HttpImageFetcher:
    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int = 10 * 1024 * 1024,
        timeout_seconds: float = 15.0,
        max_redirects: int = 3,
        resolver: Resolver = resolve,
        verify: ssl.SSLContext | bool = True,
        user_agent: str = "Shopwright-ImageFetcher/1",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout_seconds = timeout_seconds
        self.max_redirects = max_redirects
        self.resolver = resolver
        self.verify = verify
        self.user_agent = user_agent
        # The network below the checks (tests route a public address to a loopback server through one).
        self.transport = transport

    async def fetch(self, url: str, *, field: str = "imageUrl") -> FetchedImage:
        url = validate_image_url(url, field=field)
        try:
            async with asyncio.timeout(self.timeout_seconds):
                return await self._follow(url, field)
        except TimeoutError:
            raise InvalidInput.field(
                field, f"The image at {url} did not arrive within {self.timeout_seconds:g} seconds."
            ) from None

    async def _follow(self, url: str, field: str) -> FetchedImage:
        # trust_env=False: a proxy from the environment would resolve the name again, past the check.
        async with httpx.AsyncClient(
            timeout=self.timeout_seconds,
            follow_redirects=False,
            trust_env=False,
            verify=self.verify,
            transport=self.transport,
        ) as client:
            current = url
            for hop in range(self.max_redirects + 1):
                location = await self._get(client, current, field)
                if isinstance(location, FetchedImage):
                    return location
                if hop == self.max_redirects:
                    break
                current = validate_image_url(location, field=field)
        raise InvalidInput.field(field, f"The image URL redirected more than {self.max_redirects} times.")

    async def _get(self, client: httpx.AsyncClient, url: str, field: str) -> FetchedImage | str:
        """The image at ``url``, or where it redirects to."""
        target = httpx.URL(url)
        try:
            destination = await checked_destination(
                target, self.resolver, allow_private=self.allow_private, setting=ALLOW_PRIVATE_SETTING
            )
        except OutboundRefused as refused:
            raise InvalidInput.field(field, f"Cannot fetch the image: {refused.message}") from None
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "image/png,image/jpeg,image/webp,image/gif;q=0.9,*/*;q=0.1",
            # Images are compressed already; the byte cap is checked on the decoded stream in any case.
            "Accept-Encoding": "identity",
        }
        try:
            response = await send_to_checked(client, "GET", destination, headers=headers, stream=True)
        except httpx.HTTPError as exc:
            raise InvalidInput.field(field, f"Cannot fetch the image from {destination.host}: {exc}"[:500]) from None
        try:
            if response.status_code in REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise InvalidInput.field(
                        field, f"The image URL answered {response.status_code} without a Location."
                    )
                return str(target.join(location))
            if not 200 <= response.status_code < 300:
                raise InvalidInput.field(field, f"The image URL answered HTTP {response.status_code}.")
            return await self._read(response, url, field)
        finally:
            await response.aclose()

    async def _read(self, response: httpx.Response, url: str, field: str) -> FetchedImage:
        declared = declared_type(response.headers.get("content-type"))
        if declared not in ACCEPTED_TYPES and declared not in NEUTRAL_TYPES:
            raise InvalidInput.field(field, f"The URL does not point to an image (it is {declared}).")
        too_large = f"The image is larger than the {self.max_bytes:,} bytes accepted."
        length = response.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            raise InvalidInput.field(field, too_large, rule="max", params={"max": self.max_bytes})
        chunks: list[bytes] = []
        received = 0
        try:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                if received > self.max_bytes:  # whatever Content-Length said
                    raise InvalidInput.field(field, too_large, rule="max", params={"max": self.max_bytes})
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise InvalidInput.field(field, f"The image download failed: {exc}"[:500]) from None
        data = b"".join(chunks)
        sniffed = sniff_image_type(data[:SNIFF_BYTES])
        if sniffed is None:
            raise InvalidInput.field(field, "The URL does not point to a PNG, JPEG, WebP or GIF image.")
        return FetchedImage(data=data, content_type=sniffed, url=url)
