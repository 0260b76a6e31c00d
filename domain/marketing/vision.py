"""``useProductImages``: what the product's photos show, for the copy and the composition.

With a text provider, the photos go to a vision-capable chat model (as data URLs, in one structured call) that
describes the product's look and gives its palette. Offline, the pixels give the palette, the colours' names
and the subject box (``domain.media.render.palette``). Either way the result is a ``Look``."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from domain.ai.ports import TextProvider, Usage
from domain.media.render.palette import PixelFacts, colour_name, parse_hex, pixel_facts

RGB = tuple[int, int, int]
VISION_EDGE = 512  # the photos are sent no larger: enough to see the product, cheap in tokens
MAX_VISION_IMAGES = 3

SYSTEM = (
    "You look at an online store's product photos and describe what a shopper sees: the product's look, "
    "material and colours, and its main colours as hex codes. Describe only what is visible."
)
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["description", "palette", "sellingPoints"],
    "properties": {
        "description": {"type": "string", "maxLength": 400},
        "palette": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
        "sellingPoints": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
    },
}


@dataclass(frozen=True)
class Look:
    palette: tuple[RGB, ...]
    colour_names: tuple[str, ...]
    subject_boxes: tuple[tuple[int, int, int, int] | None, ...]  # per photo (offline only)
    description: str | None = None
    selling_points: tuple[str, ...] = ()
    source: str = "pixels"  # "pixels", or the vision model's name

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "palette": ["#{:02x}{:02x}{:02x}".format(*c) for c in self.palette],
            "colours": list(self.colour_names),
            "subjectBoxes": [list(b) if b else None for b in self.subject_boxes],
            "description": self.description,
        }


def data_url(image: Image.Image) -> str:
    """The photo as a JPEG data URL, no larger than ``VISION_EDGE``."""
    copy = image.convert("RGB")
    copy.thumbnail((VISION_EDGE, VISION_EDGE))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def from_pixels(photos: Sequence[Image.Image]) -> Look:
    facts: list[PixelFacts] = [pixel_facts(p) for p in photos]
    first = facts[0]
    return Look(
        palette=first.palette,
        colour_names=first.colour_names,
        subject_boxes=tuple(f.subject_box for f in facts),
    )


async def look_offline(photos: Sequence[Image.Image]) -> Look:
    return await asyncio.to_thread(from_pixels, photos)


async def look_with_provider(
    provider: TextProvider, model: str, photos: Sequence[Image.Image], title: str
) -> tuple[Look, Usage, str]:
    """The vision model's description and palette of the product in ``photos``."""
    urls = await asyncio.to_thread(lambda: [data_url(p) for p in photos[:MAX_VISION_IMAGES]])
    result = await provider.generate_json(
        system=SYSTEM,
        user=f"Product: {title}. Describe it from these {len(urls)} photo(s).",
        schema=SCHEMA,
        schema_name="product_look",
        temperature=0.2,
        model=model,
        images=urls,
    )
    palette = tuple(c for c in (parse_hex(str(v)) for v in result.data.get("palette") or []) if c is not None)
    description = str(result.data.get("description") or "").strip() or None
    points = tuple(str(p).strip() for p in result.data.get("sellingPoints") or [] if str(p).strip())
    look = Look(
        palette=palette,
        colour_names=tuple(dict.fromkeys(colour_name(c) for c in palette)),
        subject_boxes=(),
        description=description,
        selling_points=points,
        source=result.model,
    )
    return look, result.usage, result.model
