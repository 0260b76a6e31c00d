"""How the listing surface reaches its service and writes links: signed media links, absolute on the service's
public base URL (SHOPWRIGHT_PUBLIC_URL, else the request's own origin)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.db import UnitOfWork
from domain.listing.service import ListingService
from domain.media.models import MediaFile
from resolvers.rest.surface import Call


class Links:
    def __init__(self, call: Call) -> None:
        services = call.scope.services
        self.services = services
        base = call.base_url
        prefix = call.surface.prefix
        if base.endswith(prefix):  # inside the mount the base URL ends with the surface's prefix
            base = base[: -len(prefix)]
        self.base = services.public_base(base)

    def service(self, session: AsyncSession | UnitOfWork) -> ListingService:
        return ListingService(session, media=self.services.media, plans=self.services.plans)

    def absolute(self, path: str) -> str:
        return self.base + path

    def url(self, media: MediaFile, *, filename: str | None = None) -> str:
        return self.absolute(self.services.media.urls.sign(media, filename=filename).path)
