"""What the domain needs from a stock-photo library (Pexels, Unsplash, Pixabay), and the order they are asked in.

A provider answers one search with its best photo, or None when nothing matches. Keys are per store (the
``store_*_api_key`` settings), so every call names the key; an adapter may hold a deployment-wide default key
used when the store has none. A provider that cannot be asked (no key at all) is skipped, never an error.
Failures of a provider (refused key, rate limit, outage) are ``StockUnavailable``: the caller moves on to the
next provider and records why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from domain.errors import DomainError

__all__ = ["ORDER", "Orientation", "StockImages", "StockPhoto", "StockProvider", "StockUnavailable"]

# The document's order: "Try Pexels, then Unsplash, then Pixabay".
ORDER = ("pexels", "unsplash", "pixabay")
Orientation = Literal["landscape", "square"]


class StockUnavailable(DomainError, status=502, code="stock_unavailable"):
    """A stock provider refused or failed a search (the next provider is tried)."""


@dataclass(frozen=True)
class StockPhoto:
    provider: str  # pexels | unsplash | pixabay
    photo_id: str
    download_url: str  # the size to download (already chosen for the orientation)
    page_url: str  # the photo's page on the provider's site
    photographer: str
    photographer_url: str | None = None
    width: int | None = None
    height: int | None = None
    description: str | None = None
    # Unsplash asks that a use is reported to its download endpoint (the adapter does it in ``used``).
    extra: Mapping[str, Any] = field(default_factory=dict)

    def attribution(self) -> dict[str, Any]:
        """What the media record keeps (the document's ``custom_properties.attribution``)."""
        return {
            "provider": self.provider,
            "photographer": self.photographer,
            "photographer_url": self.photographer_url,
            "photo_id": self.photo_id,
            "source_url": self.page_url,
        }


class StockProvider(Protocol):
    name: str

    def configured(self, api_key: str | None) -> bool:
        """Whether a search can be made with ``api_key`` (the store's) or the adapter's own default key."""
        ...

    async def search(self, query: str, *, api_key: str | None, orientation: Orientation) -> StockPhoto | None:
        """The best photo for ``query``; None when nothing matches; ``StockUnavailable`` when the provider fails."""
        ...

    async def used(self, photo: StockPhoto, *, api_key: str | None) -> None:
        """Tells the provider the photo was used, where its terms ask for it (Unsplash); never raises."""
        ...


@dataclass(frozen=True)
class StockImages:
    """The stock providers in the document's order (a provider the deployment does not offer is absent)."""

    providers: Sequence[StockProvider] = ()

    def ordered(self) -> list[StockProvider]:
        rank = {name: i for i, name in enumerate(ORDER)}
        return sorted(self.providers, key=lambda p: rank.get(p.name, len(ORDER)))
