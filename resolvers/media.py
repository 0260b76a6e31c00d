"""``GET /media/{token}``: the bytes a signed link names (``domain.media.urls``), straight from the storage.

The link is the only credential: no database read and no Authorization header, so it works in an ``<img>``
tag and in a download manager until it expires. Errors answer in the service's own ``{"code", "message"}``.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.errors import DomainError
from resolvers.context import AppServices
from resolvers.rest.surface import Dialect

_DIALECT = Dialect()


def content_disposition(filename: str) -> str:
    """``attachment`` with the name twice: ASCII for old clients, RFC 5987 UTF-8 for the rest."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def media_file(request: Request) -> Response:
    services: AppServices = request.app.state.services
    try:
        signed = services.media.urls.verify(request.path_params["token"])
        data = await services.media.storage.get(signed.storage_key)
    except DomainError as error:
        return _DIALECT.render(error.status, error)
    headers = {
        # Private: the link is a credential, so shared caches must not keep the file for others.
        "Cache-Control": f"private, max-age={signed.remaining_seconds()}",
        "ETag": f'"{signed.storage_key.rsplit("/", 1)[-1].split(".", 1)[0]}"',
        "X-Content-Type-Options": "nosniff",
        # Stored files are served from the API's own origin: never let one run as a page.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if signed.filename:
        headers["Content-Disposition"] = content_disposition(signed.filename)
    return Response(data, media_type=signed.content_type, headers=headers)


ROUTES = [Route("/media/{token}", media_file, methods=["GET"])]
