"""What the domain needs to keep and fetch media. The composition root builds the real adapters
(``workers.media``: local disk or S3-compatible storage, the guarded HTTP image fetcher).

Storage keys are relative paths chosen by the domain (``<workspace_id>/<sha256>.<ext>``); a backend refuses
keys that could leave its root. ``MediaPorts`` is what services and job handlers receive (``AppServices.media``,
``ctx.providers.media``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.errors import DomainError
from domain.media.urls import MediaUrls

__all__ = ["FetchedImage", "ImageFetcher", "MediaMissing", "MediaPorts", "MediaStorage"]


class MediaMissing(DomainError, status=404, code="not_found"):
    """The storage holds no bytes under the key (deleted, or a row whose file was lost)."""


class MediaStorage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key`` (replacing what was there; readers never see a partial file)."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``MediaMissing`` when there are none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove ``key``; removing a key that is not there is not an error."""
        ...


@dataclass(frozen=True)
class FetchedImage:
    data: bytes
    content_type: str
    # The URL the bytes finally came from (after redirects).
    url: str


class ImageFetcher(Protocol):
    async def fetch(self, url: str, *, field: str = "imageUrl") -> FetchedImage:
        """Download one image: http(s) only, private and loopback addresses refused unless allowed (checked on
        every redirect hop, connecting to the checked address), size and type limits. Every refusal is an
        ``InvalidInput`` on ``field``."""
        ...


@dataclass(frozen=True)
class MediaPorts:
    storage: MediaStorage
    urls: MediaUrls
    fetcher: ImageFetcher
