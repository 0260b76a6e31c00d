"""eBay's Browse API over httpx: an application token from OAuth client credentials (cached until shortly before it
expires), ``item_summary/search`` for search and ``item/{id}`` for lookups (404: no longer listed).

Search only returns live listings; an item is out of stock when eBay estimates it so
(``estimatedAvailabilityStatus == "OUT_OF_STOCK"``). With an affiliate campaign id, eBay answers affiliate URLs
(``itemAffiliateWebUrl``), which become the offer's link."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx

from domain.merchants.ports import MerchantItem, MerchantUnavailable
from domain.merchants.service import EBAY_MARKETPLACES
from workers.merchants.http import network, unavailable

API_URL = "https://api.ebay.com"
SCOPE = "https://api.ebay.com/oauth/api_scope"
MAX_SEARCH_LIMIT = 200
# eBay's marketplaces by the store's locale (X-EBAY-C-MARKETPLACE-ID): one table, the domain's.
MARKETPLACES = EBAY_MARKETPLACES


def _price(raw: Any) -> tuple[float | None, str | None]:
    if not isinstance(raw, dict):
        return None, None
    try:
        return float(str(raw.get("value"))), raw.get("currency")
    except ValueError:
        return None, raw.get("currency")


def item_of(raw: dict[str, Any], locale: str) -> MerchantItem | None:
    item_id = raw.get("itemId")
    if not isinstance(item_id, str):
        return None
    price, currency = _price(raw.get("price"))
    full, _ = _price((raw.get("marketingPrice") or {}).get("originalPrice"))
    images = [(raw.get("image") or {}).get("imageUrl")]
    images += [i.get("imageUrl") for i in raw.get("additionalImages") or [] if isinstance(i, dict)]
    availability = [a.get("estimatedAvailabilityStatus") for a in raw.get("estimatedAvailabilities") or []]
    categories = raw.get("categories") or []
    return MerchantItem(
        merchant="ebay",
        item_id=item_id,
        title=str(raw.get("title") or item_id),
        url=str(raw.get("itemAffiliateWebUrl") or raw.get("itemWebUrl") or ""),
        price=price,
        currency=currency,
        in_stock="OUT_OF_STOCK" not in availability,
        images=tuple(u for u in images if isinstance(u, str)),
        brand=raw.get("brand") if isinstance(raw.get("brand"), str) else None,
        locale=locale,
        price_full=full,
        category=categories[0].get("categoryName") if categories and isinstance(categories[0], dict) else None,
    )


class EbayBrowseCatalog:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        affiliate_campaign_id: str | None = None,
        base_url: str | None = None,
        timeout_seconds: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.campaign = affiliate_campaign_id
        self.base_url = (base_url or API_URL).rstrip("/")
        self.timeout_seconds = timeout_seconds
        self.transport = transport
        self._token: tuple[str, float] | None = None
        self._lock = asyncio.Lock()

    async def search(self, keyword: str, *, category: str | None = None, locale: str, limit: int) -> list[MerchantItem]:
        params: dict[str, str | int] = {"q": keyword, "limit": min(limit, MAX_SEARCH_LIMIT)}
        if category:
            params["category_ids"] = category
        async with self._client() as client:
            data = await self._get(client, "/buy/browse/v1/item_summary/search", locale, params)
        raw = data.get("itemSummaries") or [] if data else []
        items = [item_of(r, locale) for r in raw if isinstance(r, dict)]
        return [i for i in items if i is not None][:limit]

    async def lookup(self, ids: Sequence[str], *, locale: str) -> dict[str, MerchantItem]:
        found: dict[str, MerchantItem] = {}
        async with self._client() as client:
            for item_id in dict.fromkeys(ids):
                if item_id.startswith("v1|"):
                    data = await self._get(client, f"/buy/browse/v1/item/{quote(item_id, safe='')}", locale)
                else:  # a legacy (numeric) item id, as eBay's web URLs show it
                    path = "/buy/browse/v1/item/get_item_by_legacy_id"
                    data = await self._get(client, path, locale, {"legacy_item_id": item_id})
                item = item_of(data, locale) if data else None
                if item is not None:
                    found[item_id.upper()] = item
        return found

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout_seconds, transport=self.transport)

    async def _get(
        self, client: httpx.AsyncClient, path: str, locale: str, params: dict[str, str | int] | None = None
    ) -> dict[str, Any] | None:
        """The JSON answer; ``None`` for an item eBay does not (or no longer) list (404)."""
        if locale not in MARKETPLACES:
            raise MerchantUnavailable(f"eBay has no marketplace for the locale {locale!r}.", transient=False)
        token = await self._access_token(client)
        headers = {"Authorization": f"Bearer {token}", "X-EBAY-C-MARKETPLACE-ID": MARKETPLACES[locale]}
        if self.campaign:
            headers["X-EBAY-C-ENDUSERCTX"] = f"affiliateCampaignId={self.campaign}"
        try:
            response = await client.get(self.base_url + path, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise network("eBay", exc) from None
        if response.status_code == 404:
            return None
        if response.status_code == 401:
            self._token = None  # revoked or expired early: the next call asks for a new one
        if response.status_code != 200:
            raise unavailable("eBay", response)
        data = response.json()
        return data if isinstance(data, dict) else None

    async def _access_token(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is not None and self._token[1] > time.monotonic():
                return self._token[0]
            basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode("ascii")
            try:
                response = await client.post(
                    self.base_url + "/identity/v1/oauth2/token",
                    data={"grant_type": "client_credentials", "scope": SCOPE},
                    headers={"Authorization": f"Basic {basic}"},
                )
            except httpx.HTTPError as exc:
                raise network("eBay", exc) from None
            if response.status_code != 200:
                raise unavailable("eBay", response)
            data = response.json()
            token = data.get("access_token")
            if not isinstance(token, str):
                raise MerchantUnavailable("eBay's token answer has no access_token.", transient=True)
            lifetime = float(data.get("expires_in") or 7200)
            self._token = (token, time.monotonic() + max(lifetime - 60, 1))
            return token
