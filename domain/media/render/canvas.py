"""Canvas helpers shared by the styles: backgrounds, placing the cut-out product, shadows, reflections, panels
and arrows. Everything works on RGBA canvases at the target size; blurs run on reduced copies and are scaled
back, which is what keeps a 2000 px render fast."""

from __future__ import annotations

import colorsys
import math
import random
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from domain.media.render.cutout import dilate
from domain.media.render.types import RenderRequest

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]


def rng(request: RenderRequest, salt: str = "") -> random.Random:
    """Decorations are random but repeatable: the same request draws the same picture."""
    key = f"{request.style}|{request.facts.title}|{request.season}|{request.context}|{salt}"
    return random.Random(zlib.crc32(key.encode()))


def solid(size: int, color: RGB) -> Image.Image:
    return Image.new("RGBA", (size, size), (*color, 255))


def clear(width: int, height: int) -> Image.Image:
    """A transparent layer: translucent shapes are drawn here and composited, because ImageDraw on an RGBA
    image replaces pixels rather than blending."""
    return Image.new("RGBA", (width, height), (0, 0, 0, 0))


def vertical_gradient(width: int, height: int, top: RGB, bottom: RGB) -> Image.Image:
    """Top colour to bottom colour: a one-pixel-wide column, stretched (cheap at any size)."""
    steps = np.linspace(0.0, 1.0, 256, dtype=np.float32)[:, None]
    column = np.asarray(top, dtype=np.float32) * (1 - steps) + np.asarray(bottom, dtype=np.float32) * steps
    alpha = np.full((256, 1), 255, dtype=np.float32)
    strip = Image.fromarray(np.concatenate([column, alpha], axis=1).round().astype(np.uint8)[:, None, :], "RGBA")
    return strip.resize((width, height), Image.Resampling.BILINEAR)


@lru_cache(maxsize=1)
def _falloff() -> Image.Image:
    """255 at the centre down to 0 at the inscribed circle, smoothly (Pillow's radial gradient reaches its end
    only in the corners, which leaves a visible square)."""
    y, x = np.mgrid[-127.5:128.5, -127.5:128.5]
    t = np.clip(1 - np.hypot(x, y) / 128, 0, 1)
    return Image.fromarray((t * t * (3 - 2 * t) * 255).round().astype(np.uint8), "L")


def glow(canvas: Image.Image, center: tuple[int, int], radius: int, color: RGB, strength: float) -> None:
    """A soft radial light (spotlight, window light, sun) added over the canvas."""
    if radius < 2:
        return
    falloff = _falloff().resize((2 * radius, 2 * radius), Image.Resampling.BILINEAR)
    alpha = falloff.point(lambda v: int(v * strength))
    layer = Image.new("RGBA", (2 * radius, 2 * radius), (*color, 255))
    layer.putalpha(alpha)
    paste(canvas, layer, (center[0] - radius, center[1] - radius))


def paste(canvas: Image.Image, image: Image.Image, xy: tuple[int, int]) -> None:
    """Alpha-composite ``image`` at ``xy``, cropped to the canvas (Pillow refuses negative offsets)."""
    x, y = xy
    left, top = max(0, -x), max(0, -y)
    right = min(image.width, canvas.width - x)
    bottom = min(image.height, canvas.height - y)
    if right <= left or bottom <= top:
        return
    part = (
        image
        if (left, top, right, bottom) == (0, 0, image.width, image.height)
        else image.crop((left, top, right, bottom))
    )
    if part.mode != "RGBA":
        part = part.convert("RGBA")
    canvas.alpha_composite(part, (x + left, y + top))


def trim(product: Image.Image) -> Image.Image:
    """The product cropped to its visible pixels."""
    box = product.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    return product.crop(box) if box else product


def scaled(product: Image.Image, max_w: int, max_h: int) -> Image.Image:
    """The product scaled (up or down) to fit ``max_w`` x ``max_h``, keeping its aspect."""
    ratio = min(max_w / product.width, max_h / product.height)
    size = (max(1, round(product.width * ratio)), max(1, round(product.height * ratio)))
    return product.resize(size, Image.Resampling.LANCZOS if ratio < 1 else Image.Resampling.BICUBIC)


def place(canvas: Image.Image, product: Image.Image, box: Box, *, anchor: str = "center", fill: float = 1.0) -> Box:
    """Fit the product into ``box`` (``fill`` of it along the limiting side), anchored at the centre or the
    bottom, composite it, and return where it went."""
    x0, y0, x1, y1 = box
    img = scaled(product, max(1, int((x1 - x0) * fill)), max(1, int((y1 - y0) * fill)))
    x = x0 + (x1 - x0 - img.width) // 2
    y = y1 - img.height if anchor == "bottom" else y0 + (y1 - y0 - img.height) // 2
    paste(canvas, img, (x, y))
    return x, y, x + img.width, y + img.height


def fitted(product: Image.Image, box: Box, *, anchor: str = "center", fill: float = 1.0) -> tuple[Image.Image, Box]:
    """Like ``place`` without compositing: for styles that draw shadows before the product."""
    x0, y0, x1, y1 = box
    img = scaled(product, max(1, int((x1 - x0) * fill)), max(1, int((y1 - y0) * fill)))
    x = x0 + (x1 - x0 - img.width) // 2
    y = y1 - img.height if anchor == "bottom" else y0 + (y1 - y0 - img.height) // 2
    return img, (x, y, x + img.width, y + img.height)


def _blurred(mask: Image.Image, radius: float) -> Image.Image:
    """Gaussian blur on a quarter-size copy: the same look for soft shadows at a fraction of the cost."""
    factor = 4 if radius >= 8 else 1
    small = mask.resize((max(1, mask.width // factor), max(1, mask.height // factor)), Image.Resampling.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(radius / factor))
    return small.resize(mask.size, Image.Resampling.BILINEAR) if factor > 1 else small


def drop_shadow(
    canvas: Image.Image,
    product: Image.Image,
    xy: tuple[int, int],
    *,
    offset: tuple[int, int],
    blur: float,
    opacity: float,
    color: RGB = (0, 0, 0),
) -> None:
    pad = int(blur * 2) + 2
    alpha = Image.new("L", (product.width + 2 * pad, product.height + 2 * pad), 0)
    alpha.paste(product.getchannel("A"), (pad, pad))
    alpha = _blurred(alpha, blur).point(lambda a: int(a * opacity))
    layer = Image.new("RGBA", alpha.size, (*color, 255))
    layer.putalpha(alpha)
    paste(canvas, layer, (xy[0] - pad + offset[0], xy[1] - pad + offset[1]))


def contact_shadow(canvas: Image.Image, box: Box, *, opacity: float = 0.45, spread: float = 1.0) -> None:
    """The soft ellipse a product standing on a surface casts right under itself."""
    x0, _, x1, y1 = box
    w = int((x1 - x0) * 0.95 * spread)
    h = max(6, w // 9)
    pad = h
    mask = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    ImageDraw.Draw(mask).ellipse((pad, pad, pad + w, pad + h), fill=int(255 * opacity))
    mask = _blurred(mask, h / 2.5)
    layer = Image.new("RGBA", mask.size, (0, 0, 0, 255))
    layer.putalpha(mask)
    paste(canvas, layer, ((x0 + x1) // 2 - w // 2 - pad, y1 - h // 2 - pad))


def reflection(
    canvas: Image.Image, product: Image.Image, box: Box, *, opacity: float = 0.35, depth: float = 0.45
) -> None:
    """The product mirrored below its base, fading out: the glossy-floor look."""
    x0, _, _, y1 = box
    flipped = ImageOps.flip(product)
    height = max(1, int(flipped.height * depth))
    flipped = flipped.crop((0, 0, flipped.width, height))
    fade = Image.linear_gradient("L").resize((flipped.width, height)).point(lambda v: int((255 - v) * opacity))
    alpha = ImageChops.multiply(flipped.getchannel("A"), fade)
    flipped.putalpha(alpha)
    paste(canvas, flipped, (x0, y1 + 2))


def rim_light(canvas: Image.Image, product: Image.Image, xy: tuple[int, int], color: RGB, width: int) -> None:
    """A thin light along the product's outline, as from lights behind it."""
    alpha = product.getchannel("A")
    pad = width * 3
    grown = Image.new("L", (alpha.width + 2 * pad, alpha.height + 2 * pad), 0)
    grown.paste(alpha, (pad, pad))
    halo = ImageChops.subtract(dilate(grown, max(1, width // 2)), grown)
    halo = halo.filter(ImageFilter.BoxBlur(max(1, width // 3)))
    layer = Image.new("RGBA", halo.size, (*color, 255))
    layer.putalpha(halo.point(lambda a: min(255, int(a * 0.9))))
    paste(canvas, layer, (xy[0] - pad, xy[1] - pad))


def accent_from(product: Image.Image, default: RGB = (32, 64, 112)) -> RGB:
    """A deep colour taken from the product's own most common saturated hue, for panels and headlines."""
    small = np.asarray(product.convert("RGBA").resize((48, 48), Image.Resampling.BILINEAR), dtype=np.float32) / 255
    rgb, alpha = small[..., :3], small[..., 3]
    mx, mn = rgb.max(axis=2), rgb.min(axis=2)
    sat = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-6), 0)
    chosen = rgb[(alpha > 0.5) & (sat > 0.25) & (mx > 0.15)]
    if len(chosen) < 12:
        return default
    r, g, b = np.median(chosen, axis=0)
    h, _, _ = colorsys.rgb_to_hsv(float(r), float(g), float(b))
    rr, gg, bb = colorsys.hsv_to_rgb(h, 0.62, 0.5)
    return int(rr * 255), int(gg * 255), int(bb * 255)


def tint(color: RGB, amount: float) -> RGB:
    """Towards white (amount > 0) or black (amount < 0)."""
    target = 255 if amount > 0 else 0
    a = abs(amount)
    return tuple(int(c + (target - c) * a) for c in color)  # type: ignore[return-value]


def arrow(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    fill: RGB,
    width: int,
    head: int,
    both: bool = True,
) -> None:
    draw.line((start, end), fill=fill, width=width)
    ends = ((end, start), (start, end)) if both else ((end, start),)
    for tip, tail in ends:
        angle = math.atan2(tip[1] - tail[1], tip[0] - tail[0])
        left = (tip[0] - head * math.cos(angle - 0.45), tip[1] - head * math.sin(angle - 0.45))
        right = (tip[0] - head * math.cos(angle + 0.45), tip[1] - head * math.sin(angle + 0.45))
        draw.polygon((tip, left, right), fill=fill)


def panel(
    canvas: Image.Image, box: Box, fill: RGBA, *, radius: int, outline: RGBA | None = None, width: int = 0
) -> None:
    """A rounded, possibly translucent card."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return
    layer = Image.new("RGBA", (x1 - x0, y1 - y0), (0, 0, 0, 0))
    ImageDraw.Draw(layer).rounded_rectangle(
        (0, 0, x1 - x0 - 1, y1 - y0 - 1), radius=radius, fill=fill, outline=outline, width=width
    )
    paste(canvas, layer, (x0, y0))


def finish(canvas: Image.Image) -> Image.Image:
    return canvas.convert("RGB")


def cover(scene: Image.Image, width: int, height: int) -> Image.Image:
    """A scene scaled and centre-cropped to fill exactly ``width`` x ``height``."""
    return ImageOps.fit(scene.convert("RGBA"), (width, height), Image.Resampling.LANCZOS)


def spread_points(count: int, box: Box, rand: random.Random, avoid: Sequence[Box] = ()) -> list[tuple[int, int]]:
    """Scattered points for decorations, kept out of the ``avoid`` boxes (the product, the headline)."""
    x0, y0, x1, y1 = box
    out: list[tuple[int, int]] = []
    tries = 0
    while len(out) < count and tries < count * 30:
        tries += 1
        p = (rand.randint(x0, x1), rand.randint(y0, y1))
        if any(a[0] <= p[0] <= a[2] and a[1] <= p[1] <= a[3] for a in avoid):
            continue
        out.append(p)
    return out
