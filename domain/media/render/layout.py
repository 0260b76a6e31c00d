"""What every style starts from (the job: request, canvas size, cut-out product, accent colour) and the pieces
several styles share: the headline, the feature list, callout cards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageDraw

from domain.media.render import canvas as cv
from domain.media.render import icons
from domain.media.render.text import fit_text
from domain.media.render.types import ProductFacts, RenderRequest

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]
INK: RGB = (28, 30, 36)
MUTED: RGB = (96, 102, 112)
WHITE: RGB = (255, 255, 255)


@dataclass(frozen=True)
class Job:
    request: RenderRequest
    product: Image.Image  # the trimmed RGBA cut-out
    accent: RGB

    @property
    def size(self) -> int:
        return self.request.size

    @property
    def facts(self) -> ProductFacts:
        return self.request.facts

    def u(self, value: float) -> int:
        """A length given for a 1000 px canvas, at this canvas's size."""
        return max(1, round(value * self.size / 1000))


def items(facts: ProductFacts, limit: int) -> list[str]:
    """Short selling points: the features, then ``name: value`` specs, then the description's sentences."""
    out = [f.strip() for f in facts.features if f.strip()]
    out += [f"{k}: {v}" for k, v in facts.specs if k.strip() and v.strip()]
    if len(out) < limit and facts.description:
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", facts.description) if 3 < len(s.strip()) < 90]
    return out[:limit]


def tagline(request: RenderRequest) -> str | None:
    """The custom prompt shown as a tagline where a style has one (see docs/listing-images.md)."""
    text = (request.custom_prompt or "").strip()
    return text or None


def headline(
    job: Job,
    draw: ImageDraw.ImageDraw,
    box: Box,
    *,
    color: RGB,
    sub_color: RGB | None = None,
    size: int = 64,
    align: str = "left",
    with_brand: bool = True,
) -> Box:
    """The brand (small caps line) over the title, fitted into ``box``; returns where the ink went."""
    x0, y0, x1, y1 = box
    top = y0
    brand = job.facts.brand if with_brand else None
    if brand:
        b = fit_text(
            draw,
            brand.upper(),
            (x0, top, x1, top + job.u(size * 0.45)),
            size=job.u(size * 0.36),
            fill=sub_color or color,
            bold=True,
            align=align,
            max_lines=1,
            tracking=job.u(3),
        )
        top = b[3] + job.u(10)
    t = fit_text(
        draw,
        job.facts.title,
        (x0, top, x1, y1),
        size=job.u(size),
        min_size=job.u(size * 0.45),
        fill=color,
        bold=True,
        align=align,
        max_lines=3,
    )
    return x0, y0, x1, t[3]


def callout(
    job: Job,
    canvas: Image.Image,
    box: Box,
    text: str,
    *,
    fill: tuple[int, int, int, int],
    ink: RGB = INK,
    icon_color: RGB | None = None,
) -> None:
    """A rounded card: drawn icon on the left, wrapped text on the right."""
    x0, y0, x1, y1 = box
    cv.panel(canvas, box, fill, radius=job.u(18))
    draw = ImageDraw.Draw(canvas)
    pad = job.u(14)
    icon_size = min(y1 - y0 - 2 * pad, job.u(56))
    ix0, iy0 = x0 + pad, y0 + (y1 - y0 - icon_size) // 2
    draw.ellipse((ix0, iy0, ix0 + icon_size, iy0 + icon_size), fill=icon_color or job.accent)
    inset = icon_size // 5
    icons.for_text(text)(draw, (ix0 + inset, iy0 + inset, ix0 + icon_size - inset, iy0 + icon_size - inset), WHITE)
    fit_text(
        draw,
        text,
        (ix0 + icon_size + pad, y0 + pad // 2, x1 - pad, y1 - pad // 2),
        size=job.u(28),
        min_size=job.u(15),
        fill=ink,
        valign="middle",
        max_lines=3,
    )
