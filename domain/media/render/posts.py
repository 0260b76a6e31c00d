"""Marketing post and story images (1080x1080, 1080x1920) composed from the product's photo(s): the mood's
palette, the background, the art style, the product composition and the visual boldness each change what is
drawn, and the overlays (headline, price badge, call to action) are laid over it. Pure Pillow; CPU-bound:
callers run ``compose_post`` in a thread.

A ``backdrop`` (an image model's picture) replaces the drawn background; everything else is still drawn here,
so the real product and the exact price are always what the image shows."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from domain.media.render import canvas as cv
from domain.media.render.cutout import cutout
from domain.media.render.scenes import SCENES, studio
from domain.media.render.text import fit_text

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Palette:
    top: RGB  # background, top
    bottom: RGB  # background, bottom
    accent: RGB  # badges, buttons, bands
    ink: RGB  # headline text
    on_accent: RGB  # text on the accent


MOODS: dict[str, Palette] = {
    "luxury": Palette((26, 22, 18), (58, 46, 32), (201, 162, 39), (244, 228, 188), (26, 22, 18)),
    "soft_feminine": Palette((252, 228, 234), (236, 196, 208), (196, 92, 128), (120, 40, 72), (255, 255, 255)),
    "modern": Palette((232, 238, 246), (176, 192, 214), (22, 92, 210), (18, 24, 38), (255, 255, 255)),
    "medical_clean": Palette((250, 253, 253), (214, 236, 238), (0, 138, 140), (16, 60, 70), (255, 255, 255)),
}
AUTO_BACKGROUND = {
    "luxury": "gradient",
    "soft_feminine": "pastel",
    "modern": "surface_backdrop",
    "medical_clean": "gradient",
}
# Boldness: headline size (share of the width), accent strength, badge size, saturation boost.
BOLDNESS: dict[str, tuple[float, float, float, float]] = {
    "low": (0.055, 0.0, 0.13, 0.75),
    "medium": (0.08, 0.5, 0.17, 1.0),
    "high": (0.115, 1.0, 0.22, 1.35),
}


@dataclass(frozen=True)
class PostImageSpec:
    width: int
    height: int
    products: tuple[Image.Image, ...]  # the product's photos (at least one)
    art_style: str = "hero"
    mood: str = "modern"
    background: str = "auto"
    composition: str = "single_hero"
    boldness: str = "medium"
    headline: str = ""
    price_badge: str | None = None
    cta: str = ""
    accent: RGB | None = None  # from the product's own colours (useProductImages) or the prompt's
    subject_boxes: tuple[Box | None, ...] = ()  # per photo: where the product is (crops the photo to it)
    backdrop: Image.Image | None = None  # an image model's background
    scene_hint: str = ""  # words choosing the lifestyle scene (category, focus points)
    variant: int = 0  # the post's index: keeps a job's posts from looking identical
    notes: list[str] = field(default_factory=list)


def palette_for(spec: PostImageSpec) -> Palette:
    base = MOODS[spec.mood]
    return base if spec.accent is None else Palette(base.top, base.bottom, spec.accent, base.ink, base.on_accent)


def _rand(spec: PostImageSpec) -> random.Random:
    key = f"{spec.mood}|{spec.art_style}|{spec.background}|{spec.composition}|{spec.variant}"
    return random.Random(zlib.crc32(key.encode()))


# --- backgrounds ----------------------------------------------------------------------------------


def _background(spec: PostImageSpec, pal: Palette) -> tuple[Image.Image, int]:
    """The background, and the y where products stand."""
    w, h = spec.width, spec.height
    if spec.backdrop is not None:
        return ImageOps.fit(spec.backdrop.convert("RGBA"), (w, h), Image.Resampling.LANCZOS), int(h * 0.8)
    if spec.art_style == "lifestyle":
        return _lifestyle(spec)
    kind = AUTO_BACKGROUND[spec.mood] if spec.background == "auto" else spec.background
    if kind == "surface_backdrop":
        img = cv.vertical_gradient(w, h, cv.tint(pal.top, 0.1), pal.top)
        top = int(h * 0.66)
        surface = cv.vertical_gradient(w, h - top, cv.tint(pal.bottom, -0.1), cv.tint(pal.bottom, -0.3))
        img.paste(surface, (0, top))
        ImageDraw.Draw(img).line(((0, top), (w, top)), fill=(*cv.tint(pal.bottom, 0.3), 255), width=max(2, h // 300))
        return img, top + (h - top) // 3
    if kind == "pastel":
        # Blobs drawn opaque and blurred together: blurring translucent shapes alone darkens their edges.
        img = Image.new("RGB", (w, h), cv.tint(pal.top, 0.35))
        d = ImageDraw.Draw(img)
        rand = _rand(spec)
        for i in range(7):
            r = rand.randint(w // 8, w // 3)
            x, y = rand.randint(0, w), rand.randint(0, h)
            hue = (pal.accent, pal.bottom, (190, 225, 215), (220, 205, 240))[i % 4]
            d.ellipse((x - r, y - r, x + r, y + r), fill=cv.tint(hue, 0.6))
        img = img.filter(ImageFilter.GaussianBlur(w // 40)).convert("RGBA")
        return img, int(h * 0.78)
    return cv.vertical_gradient(w, h, pal.top, pal.bottom), int(h * 0.78)


def _lifestyle(spec: PostImageSpec) -> tuple[Image.Image, int]:
    """An illustrative room (chosen by the scene hint's words), covering the frame."""
    side = max(spec.width, spec.height)
    rand = _rand(spec)
    hint = spec.scene_hint.lower()
    build = next((make for words, make in SCENES if any(w in hint for w in words)), studio)
    scene = build(side, rand)
    img = cv.cover(scene.image, spec.width, spec.height)
    offset = (side - spec.height) // 2
    return img, min(spec.height - 1, scene.surface_y - offset)


# --- products ---------------------------------------------------------------------------------------


def _cutouts(spec: PostImageSpec) -> list[Image.Image]:
    out = []
    for i, photo in enumerate(spec.products):
        box = spec.subject_boxes[i] if i < len(spec.subject_boxes) else None
        source = photo.crop(box) if box else photo
        out.append(cv.trim(cutout(source)))
    return out


def _place_products(
    spec: PostImageSpec, canvas: Image.Image, products: list[Image.Image], area: Box, floor: int
) -> Box:
    """The products in ``area`` as the composition asks; returns the main product's box."""
    x0, y0, x1, y1 = area
    aw, ah = x1 - x0, y1 - y0
    fill = {"hero": 0.92, "negative_space": 0.42, "depth": 0.8, "lifestyle": 0.62}[spec.art_style]
    main = products[0]
    if spec.composition == "grouped":
        others = [products[i % len(products)] for i in (1, 2)]
        for side, product in zip((-1, 1), others, strict=True):
            small, _ = cv.fitted(product, (0, 0, int(aw * 0.42 * fill), int(ah * 0.6 * fill)))
            cx = x0 + aw // 2 + side * int(aw * 0.26)
            left, top = cx - small.width // 2, min(floor, y1) - small.height - ah // 30
            cv.drop_shadow(canvas, small, (left, top), offset=(0, ah // 60), blur=ah / 60, opacity=0.3)
            cv.paste(canvas, small, (left, top))
    box = (x0, y0, x1, min(floor, y1))
    if spec.art_style == "negative_space":
        # Small, at a lower third: the empty space is the point.
        third = x0 + (aw * 2) // 3 if spec.variant % 2 == 0 else x0 + aw // 3
        box = (third - int(aw * 0.25), y0 + ah // 3, third + int(aw * 0.25), min(floor, y1))
    img, placed = cv.fitted(main, box, anchor="bottom", fill=fill)
    if spec.art_style == "depth":
        blurred = cv.scaled(main, int(aw * 1.3), int(ah * 1.3)).filter(ImageFilter.GaussianBlur(aw // 45))
        faded = blurred.copy()
        faded.putalpha(blurred.getchannel("A").point(lambda a: a * 45 // 100))
        cv.paste(canvas, faded, (x0 + aw // 2 - faded.width // 2 - aw // 6, y0 - ah // 10))
        cv.drop_shadow(canvas, img, placed[:2], offset=(aw // 40, ah // 40), blur=aw / 35, opacity=0.55)
    else:
        cv.contact_shadow(canvas, placed, opacity=0.4)
    if spec.art_style == "hero":
        cv.glow(
            canvas, ((placed[0] + placed[2]) // 2, (placed[1] + placed[3]) // 2), int(aw * 0.5), (255, 255, 255), 0.35
        )
    cv.paste(canvas, img, placed[:2])
    return placed


# --- overlays ---------------------------------------------------------------------------------------


def _overlays(
    spec: PostImageSpec, canvas: Image.Image, pal: Palette, text_area: Box, boldness: tuple[float, ...]
) -> None:
    w, h = spec.width, spec.height
    size_share, accent_strength, badge_share, _ = boldness
    x0, y0, x1, y1 = text_area
    if accent_strength > 0:
        band_h = int((y1 - y0) * (0.55 + 0.45 * accent_strength))
        cv.panel(canvas, (x0, y0, x1, y0 + band_h), (*pal.accent, int(70 + 150 * accent_strength)), radius=w // 40)
    ink = pal.on_accent if accent_strength >= 1.0 else pal.ink
    draw = ImageDraw.Draw(canvas)
    pad = w // 30
    fit_text(
        draw,
        spec.headline,
        (x0 + pad, y0 + pad, x1 - pad, y1 - pad),
        size=int(w * size_share),
        min_size=int(w * size_share * 0.4),  # a long headline shrinks before it is cut
        fill=(*ink, 255),
        bold=spec.boldness != "low",
        max_lines=3,
        align="center",
        valign="middle",
    )
    if spec.price_badge:
        r = int(w * badge_share / 2)
        if spec.composition == "side_layout":  # in the text column, under the headline: clear of the product
            cx, cy = (x0 + x1) // 2, y1 + r + h // 40
        else:
            cx, cy = w - r - w // 25, y1 + r + h // 60
        layer = cv.clear(w, h)
        d = ImageDraw.Draw(layer)
        if spec.boldness == "low":
            d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(*pal.accent, 255), width=max(3, w // 200))
            color: tuple[int, ...] = (*pal.accent, 255)
        else:
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*pal.accent, 255))
            color = (*pal.on_accent, 255)
        canvas.alpha_composite(layer)
        inner = int(r * 0.72)
        fit_text(
            draw,
            spec.price_badge,
            (cx - inner, cy - inner, cx + inner, cy + inner),
            size=int(r * 0.6),
            fill=color,
            bold=True,
            max_lines=2,
            align="center",
            valign="middle",
        )
    if spec.cta:
        bw, bh = int(w * (0.42 + 0.12 * accent_strength)), int(h * 0.045 * (1 + 0.4 * accent_strength))
        bx, by = (w - bw) // 2, h - bh - h // 22
        cv.panel(canvas, (bx, by, bx + bw, by + bh), (*pal.accent, 255), radius=bh // 2)
        fit_text(
            draw,
            spec.cta,
            (bx + bh // 3, by, bx + bw - bh // 3, by + bh),
            size=int(bh * 0.5),
            fill=(*pal.on_accent, 255),
            bold=True,
            max_lines=1,
            align="center",
            valign="middle",
        )


def _saturate(image: Image.Image, factor: float) -> Image.Image:
    if factor == 1.0:
        return image
    from PIL import ImageEnhance

    return ImageEnhance.Color(ImageEnhance.Contrast(image).enhance(0.85 + 0.15 * factor)).enhance(factor)


# --- the composition --------------------------------------------------------------------------------


def compose_post(spec: PostImageSpec) -> Image.Image:
    """The post's image: RGB, ``spec.width`` x ``spec.height``."""
    if not spec.products:
        raise ValueError("a post image needs at least one product photo")
    pal = palette_for(spec)
    boldness = BOLDNESS[spec.boldness]
    w, h = spec.width, spec.height
    canvas, floor = _background(spec, pal)
    products = _cutouts(spec)
    head_h = int(h * (0.2 if h > w else 0.22))
    cta_h = int(h * 0.1)
    if spec.composition == "side_layout":
        # Product on one side, the text on the other (alternating per post).
        left_text = spec.variant % 2 == 0
        half = w // 2
        product_area = (
            (half, head_h // 2, w - w // 20, h - cta_h) if left_text else (w // 20, head_h // 2, half, h - cta_h)
        )
        text_area = (
            (w // 20, int(h * 0.3), half - w // 40, int(h * 0.62))
            if left_text
            else (half + w // 40, int(h * 0.3), w - w // 20, int(h * 0.62))
        )
    else:
        product_area = (w // 10, head_h + h // 40, w - w // 10, h - cta_h - h // 40)
        text_area = (w // 14, h // 30, w - w // 14, head_h)
    _place_products(spec, canvas, products, product_area, floor)
    image = _saturate(cv.finish(canvas), boldness[3])
    canvas = image.convert("RGBA")
    _overlays(spec, canvas, pal, text_area, boldness)
    return cv.finish(canvas)
