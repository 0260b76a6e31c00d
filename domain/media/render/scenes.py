"""Illustrative scenes for the lifestyle styles when no image model drew one: a wall, a surface the product
stands on, light from a window or the sun, and a few props at the sides, chosen by keywords of the request's
``context`` (then ``customPrompt``, then the product's category)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from domain.media.render import canvas as cv
from domain.media.render.types import RenderRequest

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Scene:
    name: str
    image: Image.Image  # RGBA, size x size
    surface_y: int  # where products stand
    light: tuple[int, int]  # where the light comes from (shadows fall away from it)


def _tiles(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], tw: int, th: int, grout: RGB, brick: bool) -> None:
    x0, y0, x1, y1 = box
    for row, y in enumerate(range(y0, y1, th)):
        d.line(((x0, y), (x1, y)), fill=grout, width=max(1, th // 18))
        shift = tw // 2 if brick and row % 2 else 0
        for x in range(x0 - shift, x1, tw):
            d.line(((x, y), (x, min(y + th, y1))), fill=grout, width=max(1, th // 18))


def _plant(d: ImageDraw.ImageDraw, x: int, base: int, h: int, pot: RGB, rand: random.Random) -> None:
    w = h // 3
    for _ in range(9):
        lx, ly = x + rand.randint(-w, w), base - h // 2 - rand.randint(0, h // 2)
        r = rand.randint(h // 9, h // 6)
        d.ellipse(
            (lx - r, ly - r // 2, lx + r, ly + r // 2), fill=rand.choice(((70, 130, 70), (90, 150, 80), (60, 110, 60)))
        )
    d.polygon(
        ((x - w // 2, base - h // 3), (x + w // 2, base - h // 3), (x + w // 3, base), (x - w // 3, base)), fill=pot
    )


def _surface(img: Image.Image, top: int, colors: tuple[RGB, RGB], edge: RGB) -> None:
    s = img.width
    cv.paste(img, cv.vertical_gradient(s, s - top, *colors), (0, top))
    ImageDraw.Draw(img).rectangle((0, top, s, top + max(2, s // 220)), fill=edge)


def kitchen(s: int, rand: random.Random) -> Scene:
    img = cv.vertical_gradient(s, s, (246, 244, 240), (226, 222, 214))
    top = int(s * 0.7)
    d = ImageDraw.Draw(img)
    _tiles(d, (0, int(s * 0.3), s, top), s // 12, s // 24, (212, 208, 200), brick=True)
    d.rectangle(
        (int(s * 0.06), int(s * 0.05), int(s * 0.34), int(s * 0.27)),
        fill=(214, 234, 246),
        outline=(250, 250, 250),
        width=s // 100,
    )
    d.rounded_rectangle(
        (int(s * 0.8), int(s * 0.34), int(s * 0.93), top - s // 60), radius=s // 40, fill=(176, 128, 84)
    )
    d.ellipse((int(s * 0.85), int(s * 0.37), int(s * 0.88), int(s * 0.4)), fill=(226, 222, 214))
    _surface(img, top, ((232, 230, 226), (206, 203, 198)), (250, 250, 248))
    _plant(ImageDraw.Draw(img), int(s * 0.12), top + s // 40, int(s * 0.24), (196, 110, 70), rand)
    return Scene("kitchen", img, top + s // 10, (int(s * 0.2), int(s * 0.15)))


def bathroom(s: int, rand: random.Random) -> Scene:
    img = cv.vertical_gradient(s, s, (236, 242, 246), (214, 224, 232))
    top = int(s * 0.68)
    d = ImageDraw.Draw(img)
    _tiles(d, (0, 0, s, top), s // 8, s // 8, (222, 230, 236), brick=False)
    d.rounded_rectangle(
        (int(s * 0.22), int(s * 0.06), int(s * 0.78), int(s * 0.5)),
        radius=s // 30,
        fill=(206, 222, 232),
        outline=(246, 248, 250),
        width=s // 90,
    )
    d.polygon(
        (
            (int(s * 0.3), int(s * 0.08)),
            (int(s * 0.4), int(s * 0.08)),
            (int(s * 0.26), int(s * 0.46)),
            (int(s * 0.23), int(s * 0.46)),
        ),
        fill=(226, 238, 244),
    )
    _surface(img, top, ((248, 248, 250), (222, 224, 228)), (255, 255, 255))
    d = ImageDraw.Draw(img)
    for i in range(3):  # a stack of rolled towels
        y = top + s // 30 - i * s // 22
        d.rounded_rectangle(
            (int(s * 0.78), y - s // 22, int(s * 0.96), y), radius=s // 50, fill=(250 - i * 6, 244, 236)
        )
    _plant(d, int(s * 0.1), top + s // 40, int(s * 0.2), (240, 240, 240), rand)
    return Scene("bathroom", img, top + s // 10, (s // 2, 0))


def desk(s: int, rand: random.Random) -> Scene:
    img = cv.vertical_gradient(s, s, (226, 232, 226), (204, 212, 204))
    top = int(s * 0.7)
    d = ImageDraw.Draw(img)
    d.rectangle(
        (int(s * 0.62), int(s * 0.12), int(s * 0.88), int(s * 0.36)),
        fill=(250, 248, 242),
        outline=(90, 70, 50),
        width=s // 120,
    )
    d.polygon(
        (
            (int(s * 0.64), int(s * 0.34)),
            (int(s * 0.72), int(s * 0.22)),
            (int(s * 0.78), int(s * 0.3)),
            (int(s * 0.86), int(s * 0.2)),
            (int(s * 0.86), int(s * 0.34)),
        ),
        fill=(140, 170, 150),
    )
    _surface(img, top, ((170, 124, 84), (136, 96, 62)), (196, 150, 104))
    d = ImageDraw.Draw(img)
    lx = int(s * 0.12)  # a desk lamp
    d.ellipse((lx - s // 16, top + s // 50, lx + s // 16, top + s // 20), fill=(50, 52, 56))
    d.line(
        ((lx, top + s // 40), (lx + s // 20, int(s * 0.44)), (lx + s // 8, int(s * 0.36))),
        fill=(50, 52, 56),
        width=s // 90,
        joint="curve",
    )
    d.polygon(
        (
            (lx + s // 10, int(s * 0.33)),
            (lx + s // 5, int(s * 0.33)),
            (lx + s // 6, int(s * 0.41)),
            (lx + s // 9, int(s * 0.41)),
        ),
        fill=(50, 52, 56),
    )
    d.polygon(
        (
            (int(s * 0.78), top + s // 25),
            (int(s * 0.97), top + s // 25),
            (int(s * 0.95), top + s // 10),
            (int(s * 0.76), top + s // 10),
        ),
        fill=(246, 246, 240),
    )
    d.line(((int(s * 0.79), top + s // 14), (int(s * 0.93), top + s // 16)), fill=(40, 60, 120), width=s // 150)
    return Scene("desk", img, top + s // 9, (int(s * 0.25), int(s * 0.38)))


def outdoor(s: int, rand: random.Random) -> Scene:
    img = cv.vertical_gradient(s, s, (140, 196, 236), (222, 238, 246))
    cv.glow(img, (int(s * 0.82), int(s * 0.14)), int(s * 0.3), (255, 246, 210), 0.9)
    d = ImageDraw.Draw(img)
    horizon = int(s * 0.58)
    for k, color in enumerate(((150, 186, 150), (116, 162, 116))):
        pts = (
            [(0, s)]
            + [
                (x, horizon - k * s // 30 - int(s * 0.05 * abs(((x * (2 + k)) % s) / s - 0.5)))
                for x in range(0, s + s // 10, s // 10)
            ]
            + [(s, s)]
        )
        d.polygon(pts, fill=color)
    for _ in range(5):
        tx = rand.choice((rand.randint(0, int(s * 0.25)), rand.randint(int(s * 0.75), s)))
        th = rand.randint(s // 6, s // 4)
        d.rectangle((tx - s // 120, horizon - th // 3, tx + s // 120, horizon + s // 40), fill=(100, 76, 50))
        d.ellipse((tx - th // 4, horizon - th, tx + th // 4, horizon - th // 4), fill=(70, 128, 70))
    top = int(s * 0.72)
    _surface(img, top, ((186, 146, 104), (150, 112, 76)), (206, 168, 124))
    d = ImageDraw.Draw(img)
    for x in range(0, s, s // 6):  # deck planks
        d.line(((x, top), (x - s // 20, s)), fill=(136, 100, 66), width=max(1, s // 300))
    return Scene("outdoor", img, top + s // 10, (int(s * 0.82), int(s * 0.14)))


def living(s: int, rand: random.Random) -> Scene:
    img = cv.vertical_gradient(s, s, (238, 228, 214), (220, 206, 188))
    d = ImageDraw.Draw(img)
    floor = int(s * 0.62)
    d.rectangle((0, floor, s, s), fill=(170, 128, 90))
    d.rounded_rectangle(
        (int(s * 0.06), int(s * 0.36), int(s * 0.94), floor + s // 20), radius=s // 25, fill=(104, 124, 140)
    )  # sofa back
    d.rounded_rectangle(
        (int(s * 0.02), int(s * 0.46), int(s * 0.14), floor + s // 20), radius=s // 30, fill=(92, 112, 128)
    )
    d.rounded_rectangle(
        (int(s * 0.86), int(s * 0.46), int(s * 0.98), floor + s // 20), radius=s // 30, fill=(92, 112, 128)
    )
    d.rounded_rectangle(
        (int(s * 0.18), int(s * 0.4), int(s * 0.34), int(s * 0.52)), radius=s // 40, fill=(230, 196, 120)
    )
    d.rectangle(
        (int(s * 0.4), int(s * 0.06), int(s * 0.6), int(s * 0.28)),
        fill=(250, 246, 238),
        outline=(60, 50, 40),
        width=s // 140,
    )
    d.ellipse((int(s * 0.45), int(s * 0.12), int(s * 0.55), int(s * 0.22)), fill=(210, 150, 110))
    top = int(s * 0.74)
    _surface(img, top, ((120, 84, 56), (96, 66, 44)), (146, 106, 72))  # the coffee table
    return Scene("living room", img, top + s // 10, (int(s * 0.1), int(s * 0.1)))


def bedroom(s: int, rand: random.Random) -> Scene:
    img = cv.vertical_gradient(s, s, (216, 226, 240), (196, 206, 224))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((int(s * 0.4), int(s * 0.3), int(s * 1.1), int(s * 0.8)), radius=s // 30, fill=(120, 96, 80))
    d.rectangle((int(s * 0.42), int(s * 0.48), int(s * 1.1), int(s * 0.8)), fill=(248, 248, 250))
    d.rounded_rectangle(
        (int(s * 0.46), int(s * 0.4), int(s * 0.7), int(s * 0.52)), radius=s // 30, fill=(236, 238, 246)
    )
    d.rounded_rectangle(
        (int(s * 0.74), int(s * 0.4), int(s * 0.98), int(s * 0.52)), radius=s // 30, fill=(236, 238, 246)
    )
    top = int(s * 0.72)
    _surface(img, top, ((196, 170, 140), (170, 144, 116)), (214, 190, 160))  # the nightstand
    cv.glow(img, (int(s * 0.12), int(s * 0.3)), int(s * 0.3), (255, 236, 200), 0.7)
    return Scene("bedroom", img, top + s // 10, (int(s * 0.12), int(s * 0.3)))


def studio(s: int, rand: random.Random) -> Scene:
    """A neutral room: warm wall, a window's light, a wooden table."""
    img = cv.vertical_gradient(s, s, (240, 234, 226), (222, 214, 204))
    d = ImageDraw.Draw(img)
    d.rectangle(
        (int(s * 0.08), int(s * 0.08), int(s * 0.38), int(s * 0.5)),
        fill=(226, 238, 246),
        outline=(250, 248, 244),
        width=s // 80,
    )
    d.line(((int(s * 0.23), int(s * 0.08)), (int(s * 0.23), int(s * 0.5))), fill=(250, 248, 244), width=s // 120)
    cv.glow(img, (int(s * 0.23), int(s * 0.3)), int(s * 0.4), (255, 250, 236), 0.6)
    top = int(s * 0.7)
    _surface(img, top, ((196, 160, 120), (164, 128, 92)), (214, 180, 140))
    _plant(ImageDraw.Draw(img), int(s * 0.88), top + s // 40, int(s * 0.26), (236, 232, 224), rand)
    return Scene("room", img, top + s // 10, (int(s * 0.23), int(s * 0.3)))


SCENES: tuple[tuple[tuple[str, ...], Callable[[int, random.Random], Scene]], ...] = (
    (("kitchen", "cook", "counter", "dining", "food", "coffee", "tea", "bake"), kitchen),
    (("bathroom", "bath", "shower", "vanity", "sink", "skincare", "beauty", "personal care", "spa"), bathroom),
    (("desk", "office", "work", "study", "workspace", "stationery", "electronics", "computer"), desk),
    (("outdoor", "garden", "patio", "park", "camp", "hiking", "beach", "sport", "picnic", "balcony"), outdoor),
    (("living", "lounge", "sofa", "couch", "home decor", "furniture"), living),
    (("bedroom", "bed", "nightstand", "sleep"), bedroom),
)


def scene_for(request: RenderRequest, size: int) -> Scene:
    """The scene whose keyword comes first in ``context``, else in ``customPrompt``, else in the category;
    the neutral room when none matches."""
    rand = cv.rng(request, "scene")
    for text in (request.context, request.custom_prompt, request.facts.category):
        lowered = (text or "").lower()
        found = [
            (m.start(), i)
            for i, (words, _) in enumerate(SCENES)
            for w in words
            if (m := re.search(rf"\b{re.escape(w)}", lowered))
        ]
        if found:
            return SCENES[min(found)[1]][1](size, rand)
    return studio(size, rand)
