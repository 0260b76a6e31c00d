"""Unsplash (https://unsplash.com/documentation): ``GET /search/photos`` with ``Authorization: Client-ID <key>``;
a photo that is used is reported to its ``download_location``, as the API guidelines require."""

from __future__ import annotations

from typing import Any

from domain.media.stock import Orientation, StockPhoto, StockUnavailable
from workers.media.stock_common import StockAdapter, get_json, integer, text

DEFAULT_BASE_URL = "https://api.unsplash.com"
# Unsplash calls a square picture "squarish".
_ORIENTATION = {"landscape": "landscape", "square": "squarish"}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class UnsplashStock(StockAdapter):
    name = "unsplash"
    DEFAULT_BASE_URL = DEFAULT_BASE_URL

    def _headers(self, api_key: str | None) -> dict[str, str]:
        return {"Authorization": f"Client-ID {api_key or self.default_key or ''}", "Accept-Version": "v1"}

    async def search(self, query: str, *, api_key: str | None, orientation: Orientation) -> StockPhoto | None:
        body = await get_json(
            self.name,
            f"{self.base_url}/search/photos",
            params={"query": query, "per_page": 5, "orientation": _ORIENTATION[orientation], "content_filter": "high"},
            headers=self._headers(api_key),
            timeout_seconds=self.timeout_seconds,
            transport=self.transport,
        )
        results = body.get("results") if isinstance(body, dict) else None
        for photo in results if isinstance(results, list) else []:
            urls = photo.get("urls") if isinstance(photo, dict) else None
            if not isinstance(urls, dict):
                continue
            url = text(urls.get("regular")) or text(urls.get("full"))
            if not url:
                continue
            links = _dict(photo.get("links"))
            user = _dict(photo.get("user"))
            user_links = _dict(user.get("links"))
            return StockPhoto(
                provider=self.name,
                photo_id=str(photo.get("id", "")),
                download_url=url,
                page_url=text(links.get("html")),
                photographer=text(user.get("name")) or "Unknown",
                photographer_url=text(user_links.get("html")) or None,
                width=integer(photo.get("width")),
                height=integer(photo.get("height")),
                description=text(photo.get("alt_description")) or text(photo.get("description")) or None,
                extra={"download_location": text(links.get("download_location"))},
            )
        return None

    async def used(self, photo: StockPhoto, *, api_key: str | None) -> None:
        location = str(photo.extra.get("download_location") or "")
        if not location:
            return
        try:
            await get_json(
                self.name,
                location,
                params={},
                headers=self._headers(api_key),
                timeout_seconds=self.timeout_seconds,
                transport=self.transport,
            )
        except StockUnavailable:
            pass  # the photo is already stored; a missed download report must not undo it
