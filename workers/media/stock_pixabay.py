"""Pixabay (https://pixabay.com/api/docs/): ``GET /api/`` with the key as the ``key`` parameter."""

from __future__ import annotations

from domain.media.stock import Orientation, StockPhoto
from workers.media.stock_common import StockAdapter, get_json, integer, text

DEFAULT_BASE_URL = "https://pixabay.com"
# Pixabay knows "horizontal" and "vertical" only; a square slot takes any photo and is cropped.
_ORIENTATION = {"landscape": "horizontal", "square": "all"}


class PixabayStock(StockAdapter):
    name = "pixabay"
    DEFAULT_BASE_URL = DEFAULT_BASE_URL

    async def search(self, query: str, *, api_key: str | None, orientation: Orientation) -> StockPhoto | None:
        body = await get_json(
            self.name,
            f"{self.base_url}/api/",
            params={
                "key": api_key or self.default_key or "",
                "q": query[:100],  # the API refuses longer queries
                "image_type": "photo",
                "orientation": _ORIENTATION[orientation],
                "safesearch": "true",
                "per_page": 5,
            },
            headers={},
            timeout_seconds=self.timeout_seconds,
            transport=self.transport,
        )
        hits = body.get("hits") if isinstance(body, dict) else None
        for hit in hits if isinstance(hits, list) else []:
            if not isinstance(hit, dict):
                continue
            url = text(hit.get("largeImageURL")) or text(hit.get("webformatURL"))
            if not url:
                continue
            user = text(hit.get("user"))
            user_id = hit.get("user_id")
            return StockPhoto(
                provider=self.name,
                photo_id=str(hit.get("id", "")),
                download_url=url,
                page_url=text(hit.get("pageURL")),
                photographer=user or "Unknown",
                photographer_url=f"https://pixabay.com/users/{user}-{user_id}/" if user and user_id else None,
                width=integer(hit.get("imageWidth")),
                height=integer(hit.get("imageHeight")),
                description=text(hit.get("tags")) or None,
            )
        return None

    async def used(self, photo: StockPhoto, *, api_key: str | None) -> None:
        """Pixabay asks for nothing beyond the (optional) credit."""
