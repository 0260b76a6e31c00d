"""The rules of fetching an image from a caller's URL (the network side is ``workers.media.fetch``): which URLs
may be fetched, which declared types are acceptable, and what the first bytes must be."""

from __future__ import annotations

from urllib.parse import urlsplit

from domain.errors import InvalidInput

MAX_URL_LENGTH = 2048
# What a server may declare for an image we then check by its bytes (some serve images as octet-stream).
NEUTRAL_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
ACCEPTED_TYPES = frozenset({"image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/webp", "image/gif"})
SNIFF_BYTES = 16  # enough for every signature below


def validate_image_url(url: str, *, field: str = "imageUrl") -> str:
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput.field(
            field, f"The image URL must be at most {MAX_URL_LENGTH} characters.", rule="max_length"
        )
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 (a port out of range raises here)
    except ValueError:
        raise InvalidInput.field(field, "The image URL is not a valid URL.", rule="url") from None
    if parts.scheme not in {"http", "https"} or not hostname:
        raise InvalidInput.field(field, "The image URL must be an absolute http or https URL.", rule="url")
    if parts.username or parts.password:
        raise InvalidInput.field(field, "The image URL must not carry credentials.", rule="url")
    return url


def declared_type(header: str | None) -> str:
    """The media type of a Content-Type header, lower-cased, without parameters."""
    return (header or "").split(";", 1)[0].strip().lower()


def sniff_image_type(head: bytes) -> str | None:
    """The image type the first bytes announce (PNG, JPEG, WebP, GIF), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
