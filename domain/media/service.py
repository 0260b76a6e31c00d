"""Media files: bytes kept once per workspace (by SHA-256) through the storage port, described by rows.

A file is written to storage before its row is inserted, under a key derived from its hash, so two requests
storing the same bytes write the same key (each write is atomic) and the second row insert, which clashes
on ``(workspace_id, sha256)``, gives way to the first one's row. A transaction that rolls back after the
write leaves a file no row names; the next store of the same bytes adopts it.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidInput, NotFound
from domain.media.models import MediaFile, ProductImage
from domain.media.ports import MediaStorage
from domain.media.repository import MediaRepository

# Pillow format → the content type the file is stored and served with.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/zip": "zip",
    "application/json": "json",
    "text/csv": "csv",
}
DEFAULT_MAX_BYTES = 100 * 1024 * 1024  # any stored file (exports included)
DEFAULT_MAX_IMAGE_BYTES = 25 * 1024 * 1024
# Larger images are refused before they are decoded: 50 megapixels is far past any listing image (2000 x 2000
# is 4) and keeps one decode's memory in the low hundreds of MB.
DEFAULT_MAX_PIXELS = 50_000_000
_NAMES = "PNG, JPEG, WebP or GIF"
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_HASH_OFF_LOOP_BYTES = 1024 * 1024  # hashing more than this runs in a thread


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def inspect_image(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS, field: str = "image") -> ImageInfo:
    """What the bytes are, once they are known to decode as a PNG, JPEG, WebP or GIF (first frame) image of at
    most ``max_pixels``; anything else is an ``InvalidInput`` on ``field``. CPU-bound: call it in a thread."""
    try:
        # Only the accepted formats' decoders ever see the bytes (less parsing of what nobody asked for).
        with Image.open(io.BytesIO(data), formats=list(IMAGE_TYPES)) as image:
            kind = image.format or ""
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise InvalidInput.field(
                    field, f"The image is {width} x {height} pixels; at most {max_pixels:,} pixels are accepted."
                )
            image.load()  # the whole first frame: a truncated or corrupt file fails here
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise InvalidInput.field(field, f"The image has more than {max_pixels:,} pixels.") from None
    except UnidentifiedImageError:
        raise InvalidInput.field(field, f"The file is not an image in a supported format ({_NAMES}).") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise InvalidInput.field(field, f"The image cannot be decoded: {exc}.") from None
    return ImageInfo(IMAGE_TYPES[kind], width, height)


def storage_key(workspace_id: str, sha256: str, content_type: str) -> str:
    return f"{workspace_id}/{sha256}.{EXTENSIONS.get(content_type, 'bin')}"


class MediaService:
    def __init__(
        self,
        session: AsyncSession,
        storage: MediaStorage,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        self.session = session
        self.storage = storage
        self.repo = MediaRepository(session)
        self.max_bytes = max_bytes
        self.max_image_bytes = max_image_bytes
        self.max_pixels = max_pixels

    async def store(self, workspace_id: str, data: bytes, content_type: str) -> MediaFile:
        """Keep ``data`` (any type); the same bytes stored again are the same row and the same file."""
        content_type = content_type.split(";", 1)[0].strip().lower()
        if not _CONTENT_TYPE.match(content_type):
            raise InvalidInput.field("content_type", f"{content_type!r} is not a media type (type/subtype).")
        self._check_size(data, self.max_bytes, "file")
        return await self._store(workspace_id, data, content_type, None)

    async def store_image(self, workspace_id: str, data: bytes, *, field: str = "image") -> MediaFile:
        """Keep an image after checking, off the event loop, that it decodes; records its type and size."""
        self._check_size(data, self.max_image_bytes, field)
        info = await asyncio.to_thread(inspect_image, data, max_pixels=self.max_pixels, field=field)
        return await self._store(workspace_id, data, info.content_type, info)

    async def read(self, media: MediaFile) -> bytes:
        return await self.storage.get(media.storage_key)

    async def get(self, workspace_id: str, media_id: str) -> MediaFile:
        media = await self.repo.get(workspace_id, media_id)
        if media is None:
            raise NotFound("No such media file.")
        return media

    async def add_product_image(
        self, workspace_id: str, product_id: int, media: MediaFile, source_url: str | None = None
    ) -> ProductImage:
        """Attach ``media`` to the product as its last image (an image it already has stays where it is)."""
        if media.workspace_id != workspace_id:
            raise NotFound("No such media file.")
        if not await self.repo.product_exists(workspace_id, product_id):
            raise NotFound(f"No product with id {product_id}.")
        existing = await self.repo.product_image(workspace_id, product_id, media.id)
        if existing is not None:
            return existing
        image = ProductImage(
            workspace_id=workspace_id,
            product_id=product_id,
            media_id=media.id,
            source_url=source_url,
            position=await self.repo.next_image_position(workspace_id, product_id),
        )
        await self.repo.insert(image)
        return image

    async def product_images(
        self, workspace_id: str, product_ids: Sequence[int]
    ) -> dict[int, list[tuple[ProductImage, MediaFile]]]:
        return await self.repo.product_images(workspace_id, product_ids)

    # --- internals --------------------------------------------------------------------------------

    def _check_size(self, data: bytes, limit: int, field: str) -> None:
        if not data:
            raise InvalidInput.field(field, "The file is empty.")
        if len(data) > limit:
            message = f"The file is {len(data):,} bytes; at most {limit:,} are accepted."
            raise InvalidInput.field(field, message, rule="max", params={"max": limit})

    async def _store(self, workspace_id: str, data: bytes, content_type: str, info: ImageInfo | None) -> MediaFile:
        if len(data) > _HASH_OFF_LOOP_BYTES:
            sha256 = await asyncio.to_thread(_sha256, data)
        else:
            sha256 = _sha256(data)
        existing = await self.repo.by_sha256(workspace_id, sha256)
        if existing is not None:
            return existing
        key = storage_key(workspace_id, sha256, content_type)
        await self.storage.put(key, data, content_type)
        row = MediaFile(
            workspace_id=workspace_id,
            sha256=sha256,
            content_type=content_type,
            size_bytes=len(data),
            width=info.width if info else None,
            height=info.height if info else None,
            storage_key=key,
        )
        return await self.repo.insert_or_existing(row)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
