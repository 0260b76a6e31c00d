"""``GET /store-media/{id}.{ext}``: the picture in a store row's image slot (``domain.store.images``), at a
stable public address the row's image fields can keep (a signed ``/media`` link expires; these are shown on
the storefront for as long as the slot holds them).

The id is a random UUID naming one slot row, so the address reveals nothing else; once the slot is filled
again, or its row deleted, the address answers 404. Errors answer in the service's own ``{"code", "message"}``.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.errors import DomainError, NotFound
from domain.media.service import EXTENSIONS
from domain.store.image_repository import StoreAiRepository
from resolvers.context import AppServices
from resolvers.rest.surface import Dialect

_DIALECT = Dialect()
_MISSING = NotFound("No such image.")


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _MISSING from None


async def store_image(request: Request) -> Response:
    services: AppServices = request.app.state.services
    image_id, _, ext = str(request.path_params["name"]).partition(".")
    try:
        image_id = _uuid(image_id)
        async with services.db.session() as session:
            found = await StoreAiRepository(session).public_image(image_id)
        if found is None:
            raise _MISSING
        _, media = found
        if ext != EXTENSIONS.get(media.content_type, "bin"):
            raise _MISSING
        data = await services.media.storage.get(media.storage_key)
    except DomainError as error:
        return _DIALECT.render(error.status, error)
    headers = {
        # A slot's address never shows another picture (a new fill makes a new address): cache for long.
        "Cache-Control": "public, max-age=86400",
        "ETag": f'"{media.sha256}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return Response(data, media_type=media.content_type, headers=headers)


ROUTES = [Route("/store-media/{name}", store_image, methods=["GET"])]
