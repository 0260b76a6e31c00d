"""A store image drawn locally (no image model): a titled banner, hero or thumbnail for a category, an article
or the homepage, in colours chosen from the title, so the same row always gets the same picture.

Used where the document would call OpenAI's image model and none is configured. CPU-bound: call it in a thread.
"""

from __future__ import annotations

import hashlib
import random

from PIL import Image, ImageDraw

from domain.media.render.canvas import glow, tint, vertical_gradient
from domain.media.render.text import fit_text

RGB = tuple[int, int, int]

# Deep, calm base colours that hold white type (contrast above 4.5:1 against white).
BASES: tuple[RGB, ...] = (
    (15, 76, 92),
    (36, 52, 110),
    (88, 40, 100),
    (120, 45, 45),
    (30, 90, 60),
    (70, 60, 40),
    (40, 40, 48),
    (0, 95, 115),
)


def _rand(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))


def banner(title: str, caption: str | None, width: int, height: int, *, seed: str) -> Image.Image:
    """An RGB ``width`` x ``height`` picture: a gradient in a colour the seed picks, soft light and rings, the
    title (and a smaller caption) set in the shipped font, centred and never past the edges."""
    rand = _rand(seed)
    base = BASES[rand.randrange(len(BASES))]
    canvas = vertical_gradient(width, height, tint(base, 0.18), base).convert("RGBA")
    short = min(width, height)
    for _ in range(3):
        center = (rand.randrange(width), rand.randrange(height))
        glow(canvas, center, int(short * rand.uniform(0.35, 0.7)), tint(base, 0.5), 0.35)
    rings = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw_rings = ImageDraw.Draw(rings)
    for _ in range(5):
        r = int(short * rand.uniform(0.15, 0.6))
        x, y = rand.randrange(width), rand.randrange(height)
        draw_rings.ellipse((x - r, y - r, x + r, y + r), outline=(255, 255, 255, 28), width=max(2, short // 120))
    canvas = Image.alpha_composite(canvas, rings)
    draw = ImageDraw.Draw(canvas)
    margin_x, margin_y = width // 10, height // 8
    title_box = (margin_x, margin_y, width - margin_x, height - margin_y - (height // 5 if caption else 0))
    fit_text(
        draw,
        title,
        title_box,
        size=max(12, short // 6),
        min_size=max(8, short // 20),
        fill=(255, 255, 255),
        bold=True,
        max_lines=3,
        align="center",
        valign="middle",
    )
    if caption:
        fit_text(
            draw,
            caption,
            (margin_x, height - margin_y - height // 6, width - margin_x, height - margin_y),
            size=max(10, short // 16),
            min_size=max(7, short // 30),
            fill=(235, 240, 245),
            max_lines=1,
            align="center",
            valign="middle",
        )
    return canvas.convert("RGB")
