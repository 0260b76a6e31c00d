"""What the three stock-photo adapters share: one GET with a deadline, its failures as ``StockUnavailable``."""

from __future__ import annotations

from typing import Any

import httpx

from domain.media.stock import StockUnavailable

USER_AGENT = "Shopwright-Stock/1"


class StockAdapter:
    """What each adapter is configured with: its API's base URL, the operator's key (used when a store has
    none of its own), a deadline, and an HTTP transport (the tests' loopback one)."""

    name = "stock"
    DEFAULT_BASE_URL = ""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        default_key: str | None = None,
        timeout_seconds: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = (base_url or self.DEFAULT_BASE_URL).rstrip("/")
        self.default_key = default_key or None
        self.timeout_seconds = timeout_seconds
        self.transport = transport

    def configured(self, api_key: str | None) -> bool:
        return bool(api_key or self.default_key)


async def get_json(
    provider: str,
    url: str,
    *,
    params: dict[str, Any],
    headers: dict[str, str],
    timeout_seconds: float,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Any:
    """The JSON body of a GET; a refused key, a rate limit, an outage or a body that is not JSON is
    ``StockUnavailable`` naming the provider and the status (never the key: Pixabay sends it as a parameter)."""
    try:
        async with httpx.AsyncClient(
            timeout=timeout_seconds, transport=transport, headers={"User-Agent": USER_AGENT}
        ) as client:
            response = await client.get(url, params=params, headers=headers)
    except httpx.HTTPError as exc:
        raise StockUnavailable(f"{provider}: the search failed ({type(exc).__name__}).") from None
    if response.status_code in (401, 403):
        raise StockUnavailable(f"{provider}: the API key was refused (HTTP {response.status_code}).")
    if response.status_code == 429:
        raise StockUnavailable(f"{provider}: rate limited (HTTP 429).")
    if response.status_code >= 400:
        raise StockUnavailable(f"{provider}: the search answered HTTP {response.status_code}.")
    try:
        return response.json()
    except ValueError:
        raise StockUnavailable(f"{provider}: the search answered something that is not JSON.") from None


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
