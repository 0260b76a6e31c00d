"""What a product's pixels say about it: its dominant colours (for a palette that matches the product), their
nearest everyday names (for copy), and where the product is in its photo (its subject box). Pure functions on
Pillow images: callers run them in a thread."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np
from PIL import Image

from domain.media.render.cutout import cutout

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]

# Everyday colour names, for copy ("in deep red"): the nearest by hue, then lightness.
NAMED: tuple[tuple[str, RGB], ...] = (
    ("black", (20, 20, 20)),
    ("white", (245, 245, 245)),
    ("grey", (128, 128, 128)),
    ("silver", (192, 192, 192)),
    ("red", (200, 30, 40)),
    ("orange", (240, 130, 30)),
    ("yellow", (240, 210, 40)),
    ("gold", (200, 160, 50)),
    ("green", (40, 150, 70)),
    ("teal", (0, 140, 140)),
    ("blue", (30, 90, 200)),
    ("navy", (20, 30, 90)),
    ("purple", (120, 60, 160)),
    ("pink", (235, 130, 170)),
    ("brown", (120, 80, 50)),
    ("beige", (220, 200, 170)),
)


@dataclass(frozen=True)
class PixelFacts:
    palette: tuple[RGB, ...]  # dominant colours of the product itself, most common first
    subject_box: Box  # the product's visible pixels in the source, (left, top, right, bottom)
    colour_names: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "palette": [hex_of(c) for c in self.palette],
            "subjectBox": list(self.subject_box),
            "colours": list(self.colour_names),
        }


def hex_of(color: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def parse_hex(value: str) -> RGB | None:
    text = value.strip().lstrip("#")
    if len(text) != 6:
        return None
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return None


def colour_name(color: RGB) -> str:
    return min(NAMED, key=lambda item: sum((a - b) ** 2 for a, b in zip(item[1], color, strict=True)))[0]


def dominant_colours(product: Image.Image, count: int = 4) -> tuple[RGB, ...]:
    """The product's most common colours (its transparent pixels left out), most common first."""
    small = product.convert("RGBA").resize((96, 96), Image.Resampling.BILINEAR)
    pixels = np.asarray(small).reshape(-1, 4)
    visible = pixels[pixels[:, 3] > 128][:, :3]
    if len(visible) < 16:
        visible = pixels[:, :3]
    strip = Image.fromarray(visible.reshape(-1, 1, 3).astype(np.uint8), "RGB")
    quantized = strip.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    counts = sorted(quantized.getcolors() or [], reverse=True)
    out: list[RGB] = []
    for _, index in counts:
        assert isinstance(index, int)  # a "P" image's colours are palette indexes
        r, g, b = palette[index * 3 : index * 3 + 3]
        out.append((int(r), int(g), int(b)))
    return tuple(out)


def accent_of(palette: tuple[RGB, ...], default: RGB) -> RGB:
    """The palette's most saturated colour, deepened for text on light ground; ``default`` for a grey product."""
    best: tuple[float, RGB] | None = None
    for color in palette:
        h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in color))
        if s > 0.25 and v > 0.15 and (best is None or s > best[0]):
            best = (s, color)
    if best is None:
        return default
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in best[1]))
    r, g, b = colorsys.hsv_to_rgb(h, max(0.55, s), min(0.75, max(0.45, v)))
    return int(r * 255), int(g * 255), int(b * 255)


def pixel_facts(source: Image.Image) -> PixelFacts:
    """The product's palette, names and subject box, from its photo."""
    product = cutout(source)
    box = product.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox() or (0, 0, *source.size)
    palette = dominant_colours(product.crop(box))
    names = tuple(dict.fromkeys(colour_name(c) for c in palette))
    return PixelFacts(palette=palette, subject_box=(box[0], box[1], box[2], box[3]), colour_names=names)
