"""Small flat icons drawn with ImageDraw, picked by the words of a feature ("waterproof" → a drop)."""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import ImageDraw

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]
Icon = Callable[[ImageDraw.ImageDraw, Box, RGB], None]


def _frame(box: Box) -> tuple[float, float, float]:
    x0, y0, x1, y1 = box
    return (x0 + x1) / 2, (y0 + y1) / 2, min(x1 - x0, y1 - y0) / 2


def check(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    w = max(2, int(r * 0.22))
    draw.line(
        ((cx - r * 0.6, cy), (cx - r * 0.15, cy + r * 0.45), (cx + r * 0.65, cy - r * 0.5)),
        fill=color,
        width=w,
        joint="curve",
    )


def cross(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    w = max(2, int(r * 0.2))
    d = r * 0.5
    draw.line(((cx - d, cy - d), (cx + d, cy + d)), fill=color, width=w)
    draw.line(((cx - d, cy + d), (cx + d, cy - d)), fill=color, width=w)


def drop(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    draw.ellipse((cx - r * 0.55, cy - r * 0.1, cx + r * 0.55, cy + r * 0.9), fill=color)
    draw.polygon(((cx, cy - r * 0.95), (cx - r * 0.5, cy + r * 0.2), (cx + r * 0.5, cy + r * 0.2)), fill=color)


def bolt(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    pts = ((0.15, -0.95), (-0.55, 0.1), (-0.05, 0.1), (-0.2, 0.95), (0.55, -0.15), (0.05, -0.15), (0.3, -0.95))
    draw.polygon([(cx + x * r, cy + y * r) for x, y in pts], fill=color)


def leaf(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    draw.chord((cx - r * 0.9, cy - r * 0.9, cx + r * 0.5, cy + r * 0.5), 300, 150, fill=color)
    draw.chord((cx - r * 0.5, cy - r * 0.5, cx + r * 0.9, cy + r * 0.9), 120, 330, fill=color)
    draw.line(
        ((cx - r * 0.7, cy + r * 0.7), (cx + r * 0.45, cy - r * 0.45)),
        fill=(255, 255, 255),
        width=max(1, int(r * 0.08)),
    )


def shield(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    pts = ((0, -0.95), (0.75, -0.65), (0.7, 0.15), (0, 0.95), (-0.7, 0.15), (-0.75, -0.65))
    draw.polygon([(cx + x * r, cy + y * r) for x, y in pts], fill=color)
    check(draw, (int(cx - r * 0.5), int(cy - r * 0.5), int(cx + r * 0.5), int(cy + r * 0.5)), (255, 255, 255))


def star(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    pts = []
    for i in range(10):
        radius = r * (0.95 if i % 2 == 0 else 0.42)
        angle = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(pts, fill=color)


def clock(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    w = max(2, int(r * 0.14))
    draw.ellipse((cx - r * 0.85, cy - r * 0.85, cx + r * 0.85, cy + r * 0.85), outline=color, width=w)
    draw.line(((cx, cy), (cx, cy - r * 0.55)), fill=color, width=w)
    draw.line(((cx, cy), (cx + r * 0.4, cy + r * 0.15)), fill=color, width=w)


def heart(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    draw.ellipse((cx - r * 0.9, cy - r * 0.7, cx + r * 0.05, cy + r * 0.25), fill=color)
    draw.ellipse((cx - r * 0.05, cy - r * 0.7, cx + r * 0.9, cy + r * 0.25), fill=color)
    draw.polygon(((cx - r * 0.86, cy - r * 0.05), (cx + r * 0.86, cy - r * 0.05), (cx, cy + r * 0.9)), fill=color)


def feather(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    draw.ellipse((cx - r * 0.35, cy - r * 0.95, cx + r * 0.45, cy + r * 0.6), fill=color)
    draw.line(
        ((cx + r * 0.05, cy - r * 0.6), (cx - r * 0.35, cy + r * 0.95)),
        fill=(255, 255, 255),
        width=max(1, int(r * 0.1)),
    )


def recycle(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    w = max(2, int(r * 0.16))
    for start in (0, 120, 240):
        draw.arc(
            (cx - r * 0.75, cy - r * 0.75, cx + r * 0.75, cy + r * 0.75), start + 10, start + 95, fill=color, width=w
        )
        a = math.radians(start + 100)
        tip = (cx + r * 0.75 * math.cos(a), cy + r * 0.75 * math.sin(a))
        back = math.radians(start + 75)
        draw.polygon(
            (
                tip,
                (cx + r * 0.5 * math.cos(back), cy + r * 0.5 * math.sin(back)),
                (cx + r * 1.0 * math.cos(back), cy + r * 1.0 * math.sin(back)),
            ),
            fill=color,
        )


def flame(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    draw.ellipse((cx - r * 0.6, cy - r * 0.2, cx + r * 0.6, cy + r * 0.95), fill=color)
    draw.polygon(((cx, cy - r * 0.95), (cx - r * 0.58, cy + r * 0.35), (cx + r * 0.58, cy + r * 0.35)), fill=color)


def gear(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    for i in range(8):
        a = i * math.pi / 4
        draw.line(
            ((cx, cy), (cx + r * 0.95 * math.cos(a), cy + r * 0.95 * math.sin(a))),
            fill=color,
            width=max(2, int(r * 0.3)),
        )
    draw.ellipse((cx - r * 0.7, cy - r * 0.7, cx + r * 0.7, cy + r * 0.7), fill=color)
    draw.ellipse((cx - r * 0.28, cy - r * 0.28, cx + r * 0.28, cy + r * 0.28), fill=(255, 255, 255))


def sun(draw: ImageDraw.ImageDraw, box: Box, color: RGB) -> None:
    cx, cy, r = _frame(box)
    for i in range(12):
        a = i * math.pi / 6
        draw.line(
            (
                (cx + r * 0.6 * math.cos(a), cy + r * 0.6 * math.sin(a)),
                (cx + r * 0.95 * math.cos(a), cy + r * 0.95 * math.sin(a)),
            ),
            fill=color,
            width=max(2, int(r * 0.12)),
        )
    draw.ellipse((cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45), fill=color)


KEYWORDS: tuple[tuple[tuple[str, ...], Icon], ...] = (
    (("water", "waterproof", "splash", "hydrat", "moistur", "liquid", "rain"), drop),
    (("battery", "power", "fast", "charg", "energy", "speed", "watt", "quick", "volt"), bolt),
    (("natural", "organic", "vegan", "plant", "herbal", "eco", "green", "botanical"), leaf),
    (("recycl", "reusable", "sustainab", "biodegrad", "refill"), recycle),
    (("durable", "protect", "safe", "strong", "warranty", "secure", "tough", "shield", "proof"), shield),
    (("premium", "quality", "award", "best", "luxury", "rated", "professional"), star),
    (("hour", "long", "lasting", "time", "minute", "day", "timer"), clock),
    (("gentle", "comfort", "soft", "skin", "love", "care", "kid", "baby"), heart),
    (("light", "lightweight", "portable", "compact", "slim", "travel"), feather),
    (("heat", "hot", "warm", "thermal", "temperature", "insulat", "cook"), flame),
    (("adjust", "setting", "mode", "smart", "control", "tech", "motor"), gear),
    (("sun", "uv", "bright", "led", "glow", "outdoor"), sun),
)


def for_text(text: str) -> Icon:
    lowered = text.lower()
    for words, icon in KEYWORDS:
        if any(w in lowered for w in words):
            return icon
    return check
