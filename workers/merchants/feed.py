"""A merchant product feed (CSV or JSON, from a file or a URL) as a merchant catalog, so a store without merchant
credentials (and the tests) work on real data.

Columns (CSV header or JSON keys; the first of each group present is used): ``id``/``asin``/``item_id``/``sku``,
``title``/``name``, ``url``/``link``, ``price``, ``currency``, ``in_stock`` (true/false/1/0/yes/no) or
``availability`` (in stock, out of stock, preorder, ...), ``image``/``image_url``/``images`` (``|``-separated in
CSV, a list in JSON), ``brand``, ``locale``, ``category``, ``price_full``/``list_price``, ``features``.
A JSON feed is a list of items or ``{"items": [...]}``. Search matches the keyword's words against title,
category and brand (more words matched ranks first); a row with a locale only answers that locale.

File feeds are read only inside the operator's feed directory (``SHOPWRIGHT_MERCHANT_FEED_DIR``): a workspace
names a file, never a path elsewhere on the server. URL feeds go through the callbacks' address guard."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from domain.merchants.ports import MerchantItem, MerchantUnavailable
from workers.merchants.http import network, unavailable
from workers.outbound import OutboundRefused, Resolver, checked_destination, resolve, send_to_checked

ALLOW_PRIVATE_SETTING = "SHOPWRIGHT_MERCHANT_FEED_ALLOW_PRIVATE"
_WORD = re.compile(r"\w+", re.UNICODE)
_OUT = ("out of stock", "out_of_stock", "outofstock", "preorder", "pre-order", "pre_order", "backorder", "sold out")


def _first(row: dict[str, Any], *names: str) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "in stock", "in_stock", "instock", "available"):
        return True
    if text in ("0", "false", "no", "n") or text in _OUT:
        return False
    return None


def _float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", ".").split()[0])
    except (ValueError, IndexError):
        return None


def _list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    if isinstance(value, str) and value:
        return tuple(v.strip() for v in value.split("|") if v.strip())
    return ()


def item_of(row: dict[str, Any], merchant: str) -> MerchantItem | None:
    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    item_id, title = _first(row, "id", "asin", "item_id", "sku"), _first(row, "title", "name")
    if item_id is None or title is None:
        return None
    stock = _bool(_first(row, "in_stock", "availability", "stock"))
    return MerchantItem(
        merchant=merchant,
        item_id=str(item_id).strip(),
        title=str(title).strip(),
        url=str(_first(row, "url", "link", "url_detail") or ""),
        price=_float(row.get("price")),
        currency=(str(row["currency"]).strip().upper() or None) if row.get("currency") else None,
        in_stock=True if stock is None else stock,
        images=_list(_first(row, "images", "image", "image_url", "image_link")),
        brand=str(row["brand"]).strip() if row.get("brand") else None,
        locale=str(row["locale"]).strip().lower() if row.get("locale") else None,
        price_full=_float(_first(row, "price_full", "list_price")),
        features=_list(row.get("features")),
        category=str(row["category"]).strip() if row.get("category") else None,
    )


def parse_feed(data: bytes, merchant: str, fmt: str | None = None) -> list[MerchantItem]:
    """Every usable row of the feed (rows without an id or a title are left out)."""
    text = data.decode("utf-8-sig")
    kind = fmt or ("json" if text.lstrip()[:1] in ("[", "{") else "csv")
    rows: list[Any]
    if kind == "json":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise MerchantUnavailable(f"The merchant feed is not valid JSON: {exc}", transient=False) from None
        rows = parsed.get("items", []) if isinstance(parsed, dict) else parsed
        if not isinstance(rows, list):
            raise MerchantUnavailable("The JSON merchant feed has no list of items.", transient=False)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    items = [item_of(r, merchant) for r in rows if isinstance(r, dict)]
    return [i for i in items if i is not None]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


class FeedCatalog:
    def __init__(
        self,
        *,
        merchant: str,
        source: str,
        fmt: str | None = None,
        feed_dir: Path | None = None,
        allow_private: bool = False,
        max_bytes: int = 20 * 1024 * 1024,
        timeout_seconds: float = 30.0,
        resolver: Resolver = resolve,
    ) -> None:
        self.merchant = merchant
        self.source = source
        self.fmt = fmt if fmt in ("csv", "json") else None
        self.feed_dir = feed_dir
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout_seconds = timeout_seconds
        self.resolver = resolver

    async def search(self, keyword: str, *, category: str | None = None, locale: str, limit: int) -> list[MerchantItem]:
        wanted = _words(keyword)
        scored: list[tuple[int, int, MerchantItem]] = []
        for index, item in enumerate(await self._items()):
            if item.locale not in (None, locale):
                continue
            if category and (item.category or "").lower() != category.lower():
                continue
            score = len(wanted & _words(f"{item.title} {item.category or ''} {item.brand or ''}"))
            if score:
                scored.append((-score, index, item))
        return [item for _, _, item in sorted(scored, key=lambda s: (s[0], s[1]))[:limit]]

    async def lookup(self, ids: Sequence[str], *, locale: str) -> dict[str, MerchantItem]:
        wanted = {i.upper() for i in ids}
        found: dict[str, MerchantItem] = {}
        for item in await self._items():
            key = item.item_id.upper()
            if key in wanted and item.locale in (None, locale) and key not in found:
                found[key] = item
        return found

    async def _items(self) -> list[MerchantItem]:
        data = await (self._download() if re.match(r"^https?://", self.source, re.I) else self._read_file())
        return await asyncio.to_thread(parse_feed, data, self.merchant, self.fmt)

    async def _read_file(self) -> bytes:
        if self.feed_dir is None:
            raise MerchantUnavailable(
                "File feeds are off: the operator sets SHOPWRIGHT_MERCHANT_FEED_DIR to allow them.", transient=False
            )
        root = self.feed_dir.resolve()
        path = (root / self.source).resolve()
        if not path.is_relative_to(root):
            raise MerchantUnavailable("A feed file must be inside the merchant feed directory.", transient=False)

        def read() -> bytes:
            if not path.is_file():
                raise MerchantUnavailable(f"The feed file {self.source!r} does not exist.", transient=False)
            if path.stat().st_size > self.max_bytes:
                raise MerchantUnavailable(f"The feed file is larger than {self.max_bytes} bytes.", transient=False)
            return path.read_bytes()

        return await asyncio.to_thread(read)

    async def _download(self) -> bytes:
        try:
            url = httpx.URL(self.source)
            destination = await checked_destination(
                url, self.resolver, allow_private=self.allow_private, setting=ALLOW_PRIVATE_SETTING
            )
        except OutboundRefused as exc:
            raise MerchantUnavailable(exc.message, transient=not exc.permanent) from None
        except httpx.InvalidURL as exc:
            raise MerchantUnavailable(f"The feed URL is not valid: {exc}", transient=False) from None
        try:
            async with asyncio.timeout(self.timeout_seconds), httpx.AsyncClient(follow_redirects=False) as client:
                headers = {"User-Agent": "Shopwright-MerchantFeed/1", "Accept": "text/csv, application/json"}
                response = await send_to_checked(client, "GET", destination, headers=headers, stream=True)
                try:
                    if response.status_code != 200:
                        await response.aread()
                        raise unavailable("The merchant feed", response)
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise MerchantUnavailable(
                                f"The merchant feed is larger than {self.max_bytes} bytes.", transient=False
                            )
                        chunks.append(chunk)
                    return b"".join(chunks)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise MerchantUnavailable("The merchant feed took too long to download.", transient=True) from None
        except httpx.HTTPError as exc:
            raise network("The merchant feed", exc) from None
