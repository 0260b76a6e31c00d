"""Listing image rendering, pure Pillow: the 16 styles of ``domain.listing.pricing.STYLES`` drawn from the
product's cut-out and its facts. Pure functions (no I/O): callers run ``render`` in a thread."""

from __future__ import annotations

import io

from PIL import Image

from domain.media.render.cutout import cutout
from domain.media.render.registry import RENDERERS, render
from domain.media.render.types import ProductFacts, Rendered, RenderRequest

__all__ = ["RENDERERS", "ProductFacts", "RenderRequest", "Rendered", "cutout", "encode", "render"]

FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "JPG": "JPEG", "WEBP": "WEBP"}


def encode(image: Image.Image, fmt: str = "PNG") -> bytes:
    """The image as file bytes: PNG (lossless, the default), JPEG (quality 92) or WebP."""
    name = FORMATS.get(fmt.upper())
    if name is None:
        raise ValueError(f"Unsupported image format {fmt!r}: one of {', '.join(sorted(set(FORMATS.values())))}.")
    out = io.BytesIO()
    if name == "PNG":
        image.save(out, "PNG", optimize=False, compress_level=6)
    elif name == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=92, subsampling=0)
    else:
        image.save(out, "WEBP", quality=92)
    return out.getvalue()
