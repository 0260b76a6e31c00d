"""HTTP requests to URLs that callers chose (callbacks, image imports), kept off private networks.

The host is resolved once, every address it resolves to is checked (``is_private_address``), and the
request is sent to one of those addresses with the URL's host in ``Host`` and, for https, in TLS SNI and
certificate verification, so a second DNS answer cannot move the request after the check (DNS rebinding).
Clients must be built with ``trust_env=False`` (a proxy from the environment would resolve the name again,
past the check) and ``follow_redirects=False`` (each hop is a new URL to check).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from domain.jobs.callbacks import is_private_address

Resolver = Callable[[str, int], Awaitable[list[str]]]


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order, without repeats."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class OutboundRefused(Exception):
    """The URL's host cannot be reached safely. ``message`` says why, for the caller."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        # A refused address stays refused on a retry; a failed lookup may succeed later.
        self.permanent = permanent


@dataclass(frozen=True)
class Destination:
    url: httpx.URL
    host: str
    addresses: list[str]


async def checked_destination(url: httpx.URL, resolver: Resolver, *, allow_private: bool, setting: str) -> Destination:
    """Resolve the URL's host and check every address (unless ``allow_private``). ``setting`` names the
    setting that would allow private addresses, for the refusal's message."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = await resolver(host, port)
    except OSError as exc:
        raise OutboundRefused(f"Cannot resolve {host}: {exc}", permanent=False) from None
    if not addresses:
        raise OutboundRefused(f"Cannot resolve {host}.", permanent=False)
    if not allow_private:
        for address in addresses:
            if is_private_address(address):
                raise OutboundRefused(
                    f"Refused: {host} resolves to the private or loopback address {address} "
                    f"(set {setting}=true to allow it).",
                    permanent=True,
                )
    return Destination(url, host, addresses)


async def send_to_checked(
    client: httpx.AsyncClient,
    method: str,
    destination: Destination,
    *,
    headers: Mapping[str, str],
    content: bytes | None = None,
    stream: bool = False,
) -> httpx.Response:
    """Send the request to the destination's checked addresses in order, the next one when a connection
    fails (as any client would); the last ``httpx.ConnectError`` when none connects. Other ``httpx`` errors
    propagate. With ``stream``, the caller reads and closes the response."""
    url = destination.url
    all_headers = {**headers, "Host": url.netloc.decode("ascii")}  # the URL's host, not the address's
    # TLS names the host (SNI) and verifies the certificate for it; an IP-literal URL verifies the IP.
    extensions: dict[str, Any] = {} if _is_ip(destination.host) else {"sni_hostname": destination.host}
    failure: httpx.ConnectError | None = None
    for address in destination.addresses:
        request = client.build_request(
            method, url.copy_with(host=address), content=content, headers=all_headers, extensions=extensions
        )
        try:
            return await client.send(request, stream=stream)
        except httpx.ConnectError as exc:
            failure = exc
    assert failure is not None  # a destination always has an address
    raise failure


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
