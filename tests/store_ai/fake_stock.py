"""A loopback server answering like Pexels, Unsplash and Pixabay (each under its own prefix, with its real
paths, authentication and body shapes), and serving the photos it hands out as real JPEGs.

Each provider is told per test what to do: ``hit`` (one photo), ``miss`` (no results), or an HTTP status
(401 for a refused key, 429, 500). Every request is recorded (path, query, headers)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.serving import serving

KEYS = {"pexels": "pexels-key", "unsplash": "unsplash-key", "pixabay": "pixabay-key"}


def photo_jpeg(color: tuple[int, int, int], size: tuple[int, int] = (1200, 800)) -> bytes:
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).ellipse((300, 200, 900, 600), fill=(240, 240, 240))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


PHOTOS = {
    "pexels": photo_jpeg((20, 90, 160)),
    "unsplash": photo_jpeg((160, 60, 20)),
    "pixabay": photo_jpeg((30, 140, 60)),
}


@dataclass
class Recorded:
    provider: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeStock:
    url: str = ""
    behaviour: dict[str, str | int] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def reset(self) -> None:
        self.behaviour = {"pexels": "hit", "unsplash": "hit", "pixabay": "hit"}
        self.requests = []

    def settings(self) -> dict[str, Any]:
        return {
            "pexels_base_url": f"{self.url}/pexels",
            "unsplash_base_url": f"{self.url}/unsplash",
            "pixabay_base_url": f"{self.url}/pixabay",
        }

    def searched(self) -> list[str]:
        """The providers searched, in order."""
        return [r.provider for r in self.requests if not r.path.endswith("/download")]

    def _record(self, provider: str, request: Request) -> None:
        self.requests.append(
            Recorded(
                provider,
                request.url.path,
                dict(request.query_params),
                {k.lower(): v for k, v in request.headers.items()},
            )
        )

    def _answer(self, provider: str, authorised: bool) -> str | int:
        if not authorised:
            return 401
        return self.behaviour.get(provider, "miss")

    async def pexels(self, request: Request) -> Response:
        self._record("pexels", request)
        what = self._answer("pexels", request.headers.get("authorization") == KEYS["pexels"])
        if isinstance(what, int):
            return JSONResponse({"error": "nope"}, status_code=what)
        photos = []
        if what == "hit":
            photos = [
                {
                    "id": 2014422,
                    "width": 1200,
                    "height": 800,
                    "url": "https://www.pexels.com/photo/2014422/",
                    "photographer": "Joey Farina",
                    "photographer_url": "https://www.pexels.com/@joey",
                    "alt": "A camera on a table",
                    "src": {"original": f"{self.url}/files/pexels.jpg", "large2x": f"{self.url}/files/pexels.jpg"},
                }
            ]
        return JSONResponse({"page": 1, "per_page": 5, "photos": photos, "total_results": len(photos)})

    async def unsplash(self, request: Request) -> Response:
        self._record("unsplash", request)
        authorised = request.headers.get("authorization") == f"Client-ID {KEYS['unsplash']}"
        what = self._answer("unsplash", authorised)
        if isinstance(what, int):
            return JSONResponse({"errors": ["OAuth error"]}, status_code=what)
        results = []
        if what == "hit":
            results = [
                {
                    "id": "eOLpJytrbsQ",
                    "width": 1200,
                    "height": 800,
                    "alt_description": "vintage camera",
                    "urls": {"raw": f"{self.url}/files/unsplash.jpg", "regular": f"{self.url}/files/unsplash.jpg"},
                    "links": {
                        "html": "https://unsplash.com/photos/eOLpJytrbsQ",
                        "download_location": f"{self.url}/unsplash/photos/eOLpJytrbsQ/download",
                    },
                    "user": {"name": "Jeff Sheldon", "links": {"html": "https://unsplash.com/@ugmonk"}},
                }
            ]
        return JSONResponse({"total": len(results), "total_pages": 1, "results": results})

    async def unsplash_download(self, request: Request) -> Response:
        self._record("unsplash", request)
        return JSONResponse({"url": f"{self.url}/files/unsplash.jpg"})

    async def pixabay(self, request: Request) -> Response:
        self._record("pixabay", request)
        what = self._answer("pixabay", request.query_params.get("key") == KEYS["pixabay"])
        if isinstance(what, int):
            return Response("[ERROR 400] Invalid or missing API key", status_code=what)
        hits = []
        if what == "hit":
            hits = [
                {
                    "id": 195893,
                    "pageURL": "https://pixabay.com/en/blossom-bloom-flower-195893/",
                    "tags": "camera, vintage",
                    "largeImageURL": f"{self.url}/files/pixabay.jpg",
                    "imageWidth": 1200,
                    "imageHeight": 800,
                    "user_id": 48777,
                    "user": "Josch13",
                }
            ]
        return JSONResponse({"total": len(hits), "totalHits": len(hits), "hits": hits})

    async def files(self, request: Request) -> Response:
        name = request.path_params["name"].removesuffix(".jpg")
        if name not in PHOTOS:
            return Response(status_code=404)
        return Response(PHOTOS[name], media_type="image/jpeg")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/pexels/v1/search", self.pexels),
                Route("/unsplash/search/photos", self.unsplash),
                Route("/unsplash/photos/{id}/download", self.unsplash_download),
                Route("/pixabay/api/", self.pixabay),
                Route("/files/{name}", self.files),
            ]
        )


@asynccontextmanager
async def running_fake_stock() -> AsyncIterator[FakeStock]:
    fake = FakeStock()
    fake.reset()
    async with serving(fake.app(), lifespan="off") as url:
        fake.url = url
        yield fake
