"""Amazon Product Advertising API 5: ``SearchItems`` and ``GetItems`` over httpx, signed with AWS SigV4
(service ``ProductAdvertisingAPI``), on the marketplace's own host and region.

An item is in stock when one of its offer listings is available now (``Availability.Type == "Now"``);
``GetItems`` leaves out the ASINs Amazon no longer lists (it reports them under ``Errors``), which is how a
delisted offer is found. Requests carry at most 10 items each (the API's limit), and at most 10 pages are read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from domain.merchants.ports import MerchantItem, MerchantUnavailable
from workers.merchants.http import network, unavailable
from workers.merchants.sigv4 import authorization

SERVICE = "ProductAdvertisingAPI"
TARGET = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1."
MAX_PER_REQUEST = 10
MAX_PAGES = 10
RESOURCES = [
    "Images.Primary.Large",
    "Images.Variants.Large",
    "ItemInfo.Title",
    "ItemInfo.ByLineInfo",
    "ItemInfo.Features",
    "ItemInfo.Classifications",
    "Offers.Listings.Price",
    "Offers.Listings.SavingBasis",
    "Offers.Listings.Availability.Type",
]
# The marketplace of each locale: (API host, AWS region, marketplace web host).
MARKETPLACES: dict[str, tuple[str, str, str]] = {
    "us": ("webservices.amazon.com", "us-east-1", "www.amazon.com"),
    "ca": ("webservices.amazon.ca", "us-east-1", "www.amazon.ca"),
    "mx": ("webservices.amazon.com.mx", "us-east-1", "www.amazon.com.mx"),
    "br": ("webservices.amazon.com.br", "us-east-1", "www.amazon.com.br"),
    "gb": ("webservices.amazon.co.uk", "eu-west-1", "www.amazon.co.uk"),
    "de": ("webservices.amazon.de", "eu-west-1", "www.amazon.de"),
    "fr": ("webservices.amazon.fr", "eu-west-1", "www.amazon.fr"),
    "it": ("webservices.amazon.it", "eu-west-1", "www.amazon.it"),
    "es": ("webservices.amazon.es", "eu-west-1", "www.amazon.es"),
    "nl": ("webservices.amazon.nl", "eu-west-1", "www.amazon.nl"),
    "se": ("webservices.amazon.se", "eu-west-1", "www.amazon.se"),
    "pl": ("webservices.amazon.pl", "eu-west-1", "www.amazon.pl"),
    "be": ("webservices.amazon.com.be", "eu-west-1", "www.amazon.com.be"),
    "tr": ("webservices.amazon.com.tr", "eu-west-1", "www.amazon.com.tr"),
    "ae": ("webservices.amazon.ae", "eu-west-1", "www.amazon.ae"),
    "sa": ("webservices.amazon.sa", "eu-west-1", "www.amazon.sa"),
    "eg": ("webservices.amazon.eg", "eu-west-1", "www.amazon.eg"),
    "in": ("webservices.amazon.in", "eu-west-1", "www.amazon.in"),
    "jp": ("webservices.amazon.co.jp", "us-west-2", "www.amazon.co.jp"),
    "au": ("webservices.amazon.com.au", "us-west-2", "www.amazon.com.au"),
    "sg": ("webservices.amazon.sg", "us-west-2", "www.amazon.sg"),
}


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def item_of(raw: dict[str, Any], locale: str) -> MerchantItem | None:
    asin = raw.get("ASIN")
    if not isinstance(asin, str):
        return None
    listings = _get(raw, "Offers", "Listings") or []
    listing = listings[0] if listings and isinstance(listings[0], dict) else {}
    images = [_get(raw, "Images", "Primary", "Large", "URL")]
    images += [_get(v, "Large", "URL") for v in _get(raw, "Images", "Variants") or []]
    features = _get(raw, "ItemInfo", "Features", "DisplayValues") or []
    price = _get(listing, "Price", "Amount")
    full = _get(listing, "SavingBasis", "Amount")
    return MerchantItem(
        merchant="amazon",
        item_id=asin,
        title=str(_get(raw, "ItemInfo", "Title", "DisplayValue") or asin),
        url=str(raw.get("DetailPageURL") or f"https://{MARKETPLACES[locale][2]}/dp/{asin}"),
        price=float(price) if isinstance(price, int | float) else None,
        currency=_get(listing, "Price", "Currency"),
        in_stock=any(_get(li, "Availability", "Type") == "Now" for li in listings if isinstance(li, dict)),
        images=tuple(u for u in images if isinstance(u, str)),
        brand=_get(raw, "ItemInfo", "ByLineInfo", "Brand", "DisplayValue"),
        locale=locale,
        price_full=float(full) if isinstance(full, int | float) else None,
        features=tuple(str(f) for f in features if isinstance(f, str)),
        category=_get(raw, "ItemInfo", "Classifications", "ProductGroup", "DisplayValue"),
    )


class AmazonPaapiCatalog:
    def __init__(
        self,
        *,
        access_key: str,
        secret_key: str,
        partner_tag: str,
        base_url: str | None = None,
        timeout_seconds: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.partner_tag = partner_tag
        # Tests (and a proxy) send every marketplace's calls to one base URL; the region still follows the locale.
        self.base_url = base_url.rstrip("/") if base_url else None
        self.timeout_seconds = timeout_seconds
        self.transport = transport

    async def search(self, keyword: str, *, category: str | None = None, locale: str, limit: int) -> list[MerchantItem]:
        items: list[MerchantItem] = []
        async with self._client() as client:
            for page in range(1, MAX_PAGES + 1):
                body: dict[str, Any] = {
                    "Keywords": keyword,
                    "SearchIndex": category or "All",
                    "ItemCount": min(MAX_PER_REQUEST, max(limit - len(items), 1)),
                    "ItemPage": page,
                    "Resources": RESOURCES,
                }
                data = await self._call(client, "SearchItems", body, locale)
                raw = _get(data, "SearchResult", "Items") or []
                items += [i for i in (item_of(r, locale) for r in raw if isinstance(r, dict)) if i is not None]
                total = _get(data, "SearchResult", "TotalResultCount") or 0
                if len(items) >= limit or not raw or page * MAX_PER_REQUEST >= total:
                    break
        return items[:limit]

    async def lookup(self, ids: Sequence[str], *, locale: str) -> dict[str, MerchantItem]:
        found: dict[str, MerchantItem] = {}
        unique = list(dict.fromkeys(i.upper() for i in ids))
        async with self._client() as client:
            for start in range(0, len(unique), MAX_PER_REQUEST):
                batch = unique[start : start + MAX_PER_REQUEST]
                body = {"ItemIds": batch, "ItemIdType": "ASIN", "Resources": RESOURCES}
                data = await self._call(client, "GetItems", body, locale, missing_ok=True)
                for raw in _get(data, "ItemsResult", "Items") or []:
                    item = item_of(raw, locale) if isinstance(raw, dict) else None
                    if item is not None:
                        found[item.item_id.upper()] = item
        return found

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout_seconds, transport=self.transport)

    async def _call(
        self, client: httpx.AsyncClient, operation: str, body: dict[str, Any], locale: str, *, missing_ok: bool = False
    ) -> dict[str, Any]:
        if locale not in MARKETPLACES:
            raise MerchantUnavailable(f"Amazon has no marketplace for the locale {locale!r}.", transient=False)
        host, region, marketplace = MARKETPLACES[locale]
        base = self.base_url or f"https://{host}"
        url = httpx.URL(f"{base}/paapi5/{operation.lower()}")
        payload = {**body, "PartnerTag": self.partner_tag, "PartnerType": "Associates", "Marketplace": marketplace}
        content = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        now = datetime.now(UTC)
        headers = {
            "content-encoding": "amz-1.0",
            "content-type": "application/json; charset=utf-8",
            "host": url.netloc.decode("ascii"),
            "x-amz-date": now.strftime("%Y%m%dT%H%M%SZ"),
            "x-amz-target": TARGET + operation,
        }
        headers["authorization"] = authorization(
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=region,
            service=SERVICE,
            when=now,
            method="POST",
            path=url.path,
            query="",
            headers=headers,
            body=content,
        )
        try:
            response = await client.post(url, content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise network("Amazon", exc) from None
        data: Any = None
        try:
            data = response.json()
        except ValueError:
            pass
        if response.status_code != 200:
            errors = _get(data, "Errors") or []
            detail = "; ".join(f"{e.get('Code')}: {e.get('Message')}" for e in errors if isinstance(e, dict))
            # GetItems answers 404-style errors in a 200 when some ids resolve; when none does, Amazon answers
            # 404 ItemNotAccessible / InvalidParameterValue: nothing is listed, which is an answer, not a failure.
            if missing_ok and response.status_code in (400, 404) and _only_missing(errors):
                return {}
            raise unavailable("Amazon", response, detail)
        if not isinstance(data, dict):
            raise MerchantUnavailable("Amazon answered something other than JSON.", transient=True)
        return data


def _only_missing(errors: list[Any]) -> bool:
    codes = {e.get("Code") for e in errors if isinstance(e, dict)}
    return bool(codes) and codes <= {"InvalidParameterValue", "ItemNotAccessible", "NoResults"}
