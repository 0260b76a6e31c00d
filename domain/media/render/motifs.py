"""Seasonal motifs drawn with ImageDraw: each paints one motif of radius ``r`` centred at ``(x, y)``."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from PIL import ImageDraw

RGBA = tuple[int, int, int, int]
Motif = Callable[[ImageDraw.ImageDraw, float, float, float, RGBA, random.Random], None]


def snowflake(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    w = max(1, int(r * 0.12))
    for i in range(6):
        a = i * math.pi / 3
        ex, ey = x + r * math.cos(a), y + r * math.sin(a)
        d.line(((x, y), (ex, ey)), fill=c, width=w)
        for sign in (-1, 1):
            bx, by = x + r * 0.55 * math.cos(a), y + r * 0.55 * math.sin(a)
            b = a + sign * 0.7
            d.line(((bx, by), (bx + r * 0.35 * math.cos(b), by + r * 0.35 * math.sin(b))), fill=c, width=w)


def star(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    pts = [
        (
            x + (r if i % 2 == 0 else r * 0.42) * math.cos(-math.pi / 2 + i * math.pi / 5),
            y + (r if i % 2 == 0 else r * 0.42) * math.sin(-math.pi / 2 + i * math.pi / 5),
        )
        for i in range(10)
    ]
    d.polygon(pts, fill=c)


def ornament(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, rand: random.Random) -> None:
    colours = ((200, 30, 40, 255), (230, 190, 90, 255), (30, 110, 60, 255), (240, 240, 240, 255))
    d.line(((x, y - r * 3), (x, y - r)), fill=(230, 190, 90, 200), width=max(1, int(r * 0.08)))
    d.rectangle((x - r * 0.25, y - r * 1.15, x + r * 0.25, y - r * 0.85), fill=(230, 190, 90, 255))
    d.ellipse((x - r, y - r, x + r, y + r), fill=rand.choice(colours))
    d.ellipse((x - r * 0.55, y - r * 0.6, x - r * 0.2, y - r * 0.25), fill=(255, 255, 255, 140))


def diya(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    """An oil lamp: a clay bowl and its flame."""
    d.chord((x - r, y - r * 0.6, x + r, y + r * 0.7), 0, 180, fill=(200, 90, 30, 255))
    d.line(((x - r, y + r * 0.05), (x + r, y + r * 0.05)), fill=(240, 180, 60, 255), width=max(1, int(r * 0.12)))
    d.ellipse((x - r * 0.25, y - r * 0.95, x + r * 0.25, y - r * 0.05), fill=(255, 210, 80, 255))
    d.polygon(((x, y - r * 1.35), (x - r * 0.22, y - r * 0.6), (x + r * 0.22, y - r * 0.6)), fill=(255, 210, 80, 255))
    d.ellipse((x - r * 0.1, y - r * 0.6, x + r * 0.1, y - r * 0.2), fill=(255, 250, 220, 255))


def firework(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, rand: random.Random) -> None:
    rays = rand.randint(10, 16)
    w = max(1, int(r * 0.06))
    for i in range(rays):
        a = i * 2 * math.pi / rays
        d.line(
            ((x + r * 0.3 * math.cos(a), y + r * 0.3 * math.sin(a)), (x + r * math.cos(a), y + r * math.sin(a))),
            fill=c,
            width=w,
        )
        d.ellipse(
            (
                x + r * math.cos(a) - w * 1.5,
                y + r * math.sin(a) - w * 1.5,
                x + r * math.cos(a) + w * 1.5,
                y + r * math.sin(a) + w * 1.5,
            ),
            fill=c,
        )


def pumpkin(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    for dx in (-0.45, 0.45, 0.0):
        d.ellipse(
            (x + dx * r - r * 0.6, y - r * 0.75, x + dx * r + r * 0.6, y + r * 0.75),
            fill=(235, 120, 20, 255) if dx else (245, 140, 30, 255),
            outline=(180, 80, 10, 255),
            width=max(1, int(r * 0.05)),
        )
    d.rectangle((x - r * 0.1, y - r * 1.0, x + r * 0.1, y - r * 0.7), fill=(60, 110, 40, 255))
    for ex in (-0.35, 0.35):  # the jack-o'-lantern's face
        d.polygon(
            ((x + ex * r, y - r * 0.3), (x + ex * r - r * 0.15, y), (x + ex * r + r * 0.15, y)), fill=(60, 30, 10, 255)
        )
    d.chord((x - r * 0.5, y - r * 0.1, x + r * 0.5, y + r * 0.5), 0, 180, fill=(60, 30, 10, 255))


def bat(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    pts = (
        (0, -0.2),
        (0.25, -0.35),
        (0.45, -0.1),
        (0.7, -0.4),
        (1.0, 0.0),
        (0.75, 0.0),
        (0.6, 0.25),
        (0.4, 0.05),
        (0.2, 0.3),
        (0, 0.15),
    )
    right = [(x + px * r, y + py * r) for px, py in pts]
    left = [(x - px * r, y + py * r) for px, py in reversed(pts)]
    d.polygon(right + left, fill=c)


def heart(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    d.ellipse((x - r, y - r * 0.8, x + r * 0.05, y + r * 0.25), fill=c)
    d.ellipse((x - r * 0.05, y - r * 0.8, x + r, y + r * 0.25), fill=c)
    d.polygon(((x - r * 0.95, y - r * 0.1), (x + r * 0.95, y - r * 0.1), (x, y + r)), fill=c)


def sun(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    for i in range(12):
        a = i * math.pi / 6
        d.line(
            ((x + r * 0.65 * math.cos(a), y + r * 0.65 * math.sin(a)), (x + r * math.cos(a), y + r * math.sin(a))),
            fill=c,
            width=max(1, int(r * 0.1)),
        )
    d.ellipse((x - r * 0.5, y - r * 0.5, x + r * 0.5, y + r * 0.5), fill=c)


def wave(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    w = max(1, int(r * 0.12))
    for k in range(2):
        d.arc((x - r, y - r * 0.5 + k * r * 0.4, x, y + r * 0.5 + k * r * 0.4), 200, 340, fill=c, width=w)
        d.arc((x, y - r * 0.5 + k * r * 0.4, x + r, y + r * 0.5 + k * r * 0.4), 20, 160, fill=c, width=w)


def leaf(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, rand: random.Random) -> None:
    a = rand.uniform(0, math.pi)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for i in range(24):
        t = i / 23 * 2 * math.pi
        px, py = r * math.cos(t), r * 0.45 * math.sin(t) * (1 - 0.3 * math.cos(t))
        pts.append((x + px * ca - py * sa, y + px * sa + py * ca))
    d.polygon(pts, fill=c)
    d.line(
        ((x - r * ca, y - r * sa), (x + r * 1.2 * ca, y + r * 1.2 * sa)),
        fill=(90, 50, 20, 200),
        width=max(1, int(r * 0.06)),
    )


def flower(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    for i in range(5):
        a = i * 2 * math.pi / 5
        px, py = x + r * 0.5 * math.cos(a), y + r * 0.5 * math.sin(a)
        d.ellipse((px - r * 0.42, py - r * 0.42, px + r * 0.42, py + r * 0.42), fill=c)
    d.ellipse((x - r * 0.28, y - r * 0.28, x + r * 0.28, y + r * 0.28), fill=(255, 215, 80, 255))


def crescent(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, rand: random.Random) -> None:
    d.ellipse((x - r, y - r, x + r, y + r), fill=c)
    bg = (0, 0, 0, 0)
    d.ellipse((x - r * 0.55, y - r * 1.0, x + r * 1.25, y + r * 0.8), fill=bg)
    star(d, x + r * 0.55, y - r * 0.05, r * 0.28, c, rand)


def lantern(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, _: random.Random) -> None:
    d.line(((x, y - r * 2.2), (x, y - r)), fill=c, width=max(1, int(r * 0.06)))
    d.polygon(
        ((x - r * 0.3, y - r), (x + r * 0.3, y - r), (x + r * 0.55, y - r * 0.7), (x - r * 0.55, y - r * 0.7)), fill=c
    )
    d.rounded_rectangle((x - r * 0.5, y - r * 0.7, x + r * 0.5, y + r * 0.7), radius=r * 0.2, fill=c)
    d.rounded_rectangle(
        (x - r * 0.3, y - r * 0.5, x + r * 0.3, y + r * 0.5), radius=r * 0.15, fill=(255, 230, 150, 255)
    )
    d.polygon(((x - r * 0.55, y + r * 0.7), (x + r * 0.55, y + r * 0.7), (x, y + r * 1.05)), fill=c)


def confetti(d: ImageDraw.ImageDraw, x: float, y: float, r: float, c: RGBA, rand: random.Random) -> None:
    a = rand.uniform(0, math.pi)
    w, h = r * 0.9, r * 0.35
    pts = [
        (x + px * math.cos(a) - py * math.sin(a), y + px * math.sin(a) + py * math.cos(a))
        for px, py in ((-w, -h), (w, -h), (w, h), (-w, h))
    ]
    d.polygon(pts, fill=c)


MOTIFS: dict[str, Motif] = {
    "snowflake": snowflake,
    "star": star,
    "ornament": ornament,
    "diya": diya,
    "firework": firework,
    "pumpkin": pumpkin,
    "bat": bat,
    "heart": heart,
    "sun": sun,
    "wave": wave,
    "leaf": leaf,
    "flower": flower,
    "crescent": crescent,
    "lantern": lantern,
    "confetti": confetti,
}
