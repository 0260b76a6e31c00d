"""A local merchant on loopback that speaks the real wire shapes: a product feed (CSV and JSON), Amazon PA-API 5
(``SearchItems``/``GetItems``, every request's SigV4 signature checked against the request as received), and
eBay's OAuth client-credentials token and Browse API (``item_summary/search``, ``item/{id}``,
``get_item_by_legacy_id``). Tests change ``items`` to delist or restock products."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workers.merchants.amazon_paapi import MARKETPLACES
from workers.merchants.sigv4 import signature

ACCESS_KEY, SECRET_KEY, PARTNER_TAG = "AKIDEXAMPLE", "fake-paapi-secret", "store-20"
EBAY_ID, EBAY_SECRET, EBAY_TOKEN = "ebay-client", "ebay-secret", "v^1.1#fake-token"
_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
    r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})"
)
MARKETPLACE_LOCALE = {m[2]: locale for locale, m in MARKETPLACES.items()}


def catalog() -> list[dict[str, Any]]:
    """The merchant's items: (id, locale) is unique. Headphones and kettles, some out of stock."""
    rows = [
        ("B09V3KXJPB", "us", "Acme Wireless Headphones", 59.99, True, "Acme", "Headphones"),
        ("B07XJ8C8F5", "us", "Sonic Over-Ear Headphones Pro", 129.0, True, "Sonic", "Headphones"),
        ("B08N5WRWNW", "us", "Acme Studio Headphones", 89.5, True, "Acme", "Headphones"),
        ("B0C1234567", "gb", "Kettle Deluxe 1.7L", 39.0, True, "Brewmaster", "Kettles"),
        ("B0D7654321", "de", "Wasserkocher Edelstahl", 29.95, False, "Heimwerk", "Kettles"),
        ("B0JP000001", "jp", "Noise Cancelling Headphones JP", 15800.0, True, "Sonic", "Headphones"),
        ("B0H0000001", "us", "Budget Headphones Lite", 19.99, False, "Acme", "Headphones"),
        ("B0H0000002", "us", "Bass Headphones Max", 49.0, True, "Boom", "Headphones"),
        ("B0H0000003", "us", "Travel Headphones Fold", 39.0, True, "Boom", "Headphones"),
        ("B0H0000004", "us", "Kids Headphones Safe", 25.0, False, "Tiny", "Headphones"),
        ("B0H0000005", "us", "Gaming Headphones RGB", 79.0, True, "Play", "Headphones"),
        ("B0K0000001", "us", "Electric Kettle Glass", 34.0, True, "Brewmaster", "Kettles"),
        ("B0K0000002", "us", "Gooseneck Kettle", 54.0, False, "Pour", "Kettles"),
    ]
    currency = {"us": "USD", "gb": "GBP", "de": "EUR", "jp": "JPY"}
    return [
        {
            "id": item_id,
            "locale": locale,
            "title": title,
            "price": price,
            "currency": currency[locale],
            "in_stock": stock,
            "brand": brand,
            "category": category,
            "url": f"https://{MARKETPLACES[locale][2]}/dp/{item_id}?tag={PARTNER_TAG}",
            "images": [f"https://m.media-amazon.com/images/I/{item_id}.jpg"],
            "features": [f"{title} feature one", "Two-year warranty"],
        }
        for item_id, locale, title, price, stock, brand, category in rows
    ]


@dataclass
class FakeMerchant:
    items: list[dict[str, Any]] = field(default_factory=catalog)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, detail)
    url: str = ""

    def reset(self) -> None:
        self.items = catalog()
        self.requests.clear()

    def find(self, item_id: str, locale: str) -> dict[str, Any] | None:
        return next((i for i in self.items if i["id"].upper() == item_id.upper() and i["locale"] == locale), None)

    # --- feed ---------------------------------------------------------------------------------------

    async def feed_json(self, request: Request) -> Response:
        self.requests.append(("feed.json", ""))
        return JSONResponse({"items": self.items})

    async def feed_csv(self, request: Request) -> Response:
        self.requests.append(("feed.csv", ""))
        return Response(self.csv(), media_type="text/csv")

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["id", "locale", "title", "price", "currency", "availability", "brand", "category", "url", "images"]
        )
        for i in self.items:
            stock = "in stock" if i["in_stock"] else "out of stock"
            writer.writerow(
                [
                    i["id"],
                    i["locale"],
                    i["title"],
                    i["price"],
                    i["currency"],
                    stock,
                    i["brand"],
                    i["category"],
                    i["url"],
                    "|".join(i["images"]),
                ]
            )
        return out.getvalue()

    # --- PA-API 5 ------------------------------------------------------------------------------------

    def _paapi_item(self, i: dict[str, Any]) -> dict[str, Any]:
        return {
            "ASIN": i["id"],
            "DetailPageURL": i["url"],
            "Images": {"Primary": {"Large": {"URL": i["images"][0], "Height": 500, "Width": 500}}},
            "ItemInfo": {
                "Title": {"DisplayValue": i["title"], "Label": "Title", "Locale": "en_US"},
                "ByLineInfo": {"Brand": {"DisplayValue": i["brand"], "Label": "Brand", "Locale": "en_US"}},
                "Features": {"DisplayValues": i["features"]},
                "Classifications": {"ProductGroup": {"DisplayValue": i["category"]}},
            },
            "Offers": {
                "Listings": [
                    {
                        "Price": {"Amount": i["price"], "Currency": i["currency"], "DisplayAmount": f"{i['price']}"},
                        "SavingBasis": {"Amount": round(i["price"] * 1.2, 2), "Currency": i["currency"]},
                        "Availability": {"Type": "Now" if i["in_stock"] else "OutOfStock"},
                    }
                ]
            },
        }

    def _paapi_error(self, status: int, code: str, message: str) -> Response:
        self.requests.append(("paapi-error", code))
        return JSONResponse(
            {"__type": f"com.amazon.paapi5#{code}", "Errors": [{"Code": code, "Message": message}]}, status_code=status
        )

    async def paapi(self, request: Request) -> Response:
        operation = request.path_params["operation"]
        body = await request.body()
        match = _AUTH.fullmatch(request.headers.get("authorization", ""))
        if match is None:
            return self._paapi_error(401, "IncompleteSignature", "The request signature is missing or malformed.")
        access, day, region, service, signed, sent = match.groups()
        if access != ACCESS_KEY:
            return self._paapi_error(401, "UnrecognizedClient", "The Access Key ID or security token is invalid.")
        stamp = request.headers.get("x-amz-date", "")
        if service != "ProductAdvertisingAPI" or not stamp.startswith(day):
            return self._paapi_error(401, "InvalidSignature", "Wrong scope.")
        names = signed.split(";")
        headers = {name: request.headers.get(name, "") for name in names}
        expected = signature(
            secret_key=SECRET_KEY,
            region=region,
            service=service,
            when=datetime.strptime(stamp, "%Y%m%dT%H%M%SZ"),
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            headers=headers,
            signed=names,
            body=body,
        )
        if expected != sent:
            return self._paapi_error(401, "InvalidSignature", "The request signature we calculated does not match.")
        for required in ("host", "x-amz-date", "x-amz-target", "content-encoding"):
            if required not in names:
                return self._paapi_error(401, "InvalidSignature", f"{required} must be signed.")
        target = request.headers.get("x-amz-target", "")
        data = json.loads(body)
        marketplace = data.get("Marketplace")
        locale = MARKETPLACE_LOCALE.get(marketplace)
        if locale is None or MARKETPLACES[locale][1] != region:
            return self._paapi_error(400, "InvalidParameterValue", f"Marketplace {marketplace} is not in {region}.")
        if data.get("PartnerTag") != PARTNER_TAG or data.get("PartnerType") != "Associates":
            return self._paapi_error(400, "InvalidPartnerTag", "The partner tag is invalid.")
        if operation == "searchitems" and target.endswith(".SearchItems"):
            words = set(re.findall(r"\w+", data["Keywords"].lower()))
            hits = [
                i for i in self.items if i["locale"] == locale and words & set(re.findall(r"\w+", i["title"].lower()))
            ]
            count, page = int(data.get("ItemCount", 10)), int(data.get("ItemPage", 1))
            if not 1 <= count <= 10:
                return self._paapi_error(400, "InvalidParameterValue", "ItemCount must be 1-10.")
            chosen = hits[(page - 1) * count : page * count]
            self.requests.append(("SearchItems", data["Keywords"]))
            if not chosen:
                return self._paapi_error(404, "NoResults", "No results.")
            return JSONResponse(
                {"SearchResult": {"Items": [self._paapi_item(i) for i in chosen], "TotalResultCount": len(hits)}}
            )
        if operation == "getitems" and target.endswith(".GetItems"):
            ids = data.get("ItemIds") or []
            if not 1 <= len(ids) <= 10:
                return self._paapi_error(400, "InvalidParameterValue", "1 to 10 ItemIds.")
            self.requests.append(("GetItems", ",".join(ids)))
            found = [self.find(i, locale) for i in ids]
            items = [self._paapi_item(i) for i in found if i is not None]
            missing = [i for i, f in zip(ids, found, strict=True) if f is None]
            errors = [
                {"Code": "InvalidParameterValue", "Message": f"The ItemId {m} is not accessible."} for m in missing
            ]
            if not items:
                return JSONResponse({"Errors": errors}, status_code=404)
            return JSONResponse({"ItemsResult": {"Items": items}, **({"Errors": errors} if errors else {})})
        return self._paapi_error(400, "UnknownOperation", "Unknown operation.")

    # --- eBay ---------------------------------------------------------------------------------------------

    def _ebay_item(self, i: dict[str, Any]) -> dict[str, Any]:
        return {
            "itemId": f"v1|{i['id']}|0",
            "legacyItemId": i["id"],
            "title": i["title"],
            "price": {"value": f"{i['price']:.2f}", "currency": i["currency"]},
            "image": {"imageUrl": i["images"][0]},
            "brand": i["brand"],
            "itemWebUrl": f"https://www.ebay.com/itm/{i['id']}",
            "itemAffiliateWebUrl": f"https://www.ebay.com/itm/{i['id']}?campid=5338",
            "categories": [{"categoryId": "112529", "categoryName": i["category"]}],
            "estimatedAvailabilities": [
                {"estimatedAvailabilityStatus": "IN_STOCK" if i["in_stock"] else "OUT_OF_STOCK"}
            ],
        }

    async def ebay_token(self, request: Request) -> Response:
        expected = base64.b64encode(f"{EBAY_ID}:{EBAY_SECRET}".encode()).decode()
        form = dict(parse_qsl((await request.body()).decode()))
        if (
            request.headers.get("authorization") != f"Basic {expected}"
            or form.get("grant_type") != "client_credentials"
        ):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "client authentication failed"}, status_code=401
            )
        self.requests.append(("ebay-token", str(form.get("scope"))))
        return JSONResponse({"access_token": EBAY_TOKEN, "expires_in": 7200, "token_type": "Application Access Token"})

    def _ebay_auth(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {EBAY_TOKEN}":
            return JSONResponse({"errors": [{"errorId": 1001, "message": "Invalid access token"}]}, status_code=401)
        if request.headers.get("x-ebay-c-marketplace-id") != "EBAY_US":
            return JSONResponse({"errors": [{"errorId": 12002, "message": "marketplace"}]}, status_code=400)
        return None

    async def ebay_search(self, request: Request) -> Response:
        if (refused := self._ebay_auth(request)) is not None:
            return refused
        words = set(re.findall(r"\w+", request.query_params.get("q", "").lower()))
        limit = int(request.query_params.get("limit", "50"))
        hits = [i for i in self.items if i["locale"] == "us" and words & set(re.findall(r"\w+", i["title"].lower()))]
        self.requests.append(("ebay-search", request.query_params.get("q", "")))
        return JSONResponse({"total": len(hits), "itemSummaries": [self._ebay_item(i) for i in hits[:limit]]})

    async def ebay_item(self, request: Request) -> Response:
        if (refused := self._ebay_auth(request)) is not None:
            return refused
        raw = request.path_params.get("item_id") or ""
        legacy = request.query_params.get("legacy_item_id")
        item_id = legacy or (raw.split("|")[1] if raw.count("|") == 2 else raw)
        found = self.find(item_id, "us")
        self.requests.append(("ebay-item", item_id))
        if found is None:
            return JSONResponse(
                {"errors": [{"errorId": 11001, "message": "The specified item Id was not found."}]}, status_code=404
            )
        return JSONResponse(self._ebay_item(found))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/feed.json", self.feed_json),
                Route("/feed.csv", self.feed_csv),
                Route("/paapi5/{operation}", self.paapi, methods=["POST"]),
                Route("/identity/v1/oauth2/token", self.ebay_token, methods=["POST"]),
                Route("/buy/browse/v1/item_summary/search", self.ebay_search),
                Route("/buy/browse/v1/item/get_item_by_legacy_id", self.ebay_item),
                Route("/buy/browse/v1/item/{item_id}", self.ebay_item),
            ]
        )
