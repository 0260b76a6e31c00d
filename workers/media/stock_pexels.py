"""Pexels (https://www.pexels.com/api/documentation/): ``GET /v1/search`` with the key in ``Authorization``."""

from __future__ import annotations

from domain.media.stock import Orientation, StockPhoto
from workers.media.stock_common import StockAdapter, get_json, integer, text

DEFAULT_BASE_URL = "https://api.pexels.com"


class PexelsStock(StockAdapter):
    name = "pexels"
    DEFAULT_BASE_URL = DEFAULT_BASE_URL

    async def search(self, query: str, *, api_key: str | None, orientation: Orientation) -> StockPhoto | None:
        key = api_key or self.default_key or ""
        body = await get_json(
            self.name,
            f"{self.base_url}/v1/search",
            params={"query": query, "per_page": 5, "orientation": orientation},
            headers={"Authorization": key},
            timeout_seconds=self.timeout_seconds,
            transport=self.transport,
        )
        photos = body.get("photos") if isinstance(body, dict) else None
        for photo in photos if isinstance(photos, list) else []:
            src = photo.get("src") if isinstance(photo, dict) else None
            if not isinstance(src, dict):
                continue
            # "large2x" is 940 px wide at twice the density: big enough for a banner, far smaller than "original".
            url = text(src.get("large2x")) or text(src.get("large")) or text(src.get("original"))
            if not url:
                continue
            return StockPhoto(
                provider=self.name,
                photo_id=str(photo.get("id", "")),
                download_url=url,
                page_url=text(photo.get("url")),
                photographer=text(photo.get("photographer")) or "Unknown",
                photographer_url=text(photo.get("photographer_url")) or None,
                width=integer(photo.get("width")),
                height=integer(photo.get("height")),
                description=text(photo.get("alt")) or None,
            )
        return None

    async def used(self, photo: StockPhoto, *, api_key: str | None) -> None:
        """Pexels asks for nothing beyond the (optional) credit."""
