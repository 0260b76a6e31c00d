"""The store's wordmark: its name drawn with the shipped font (DejaVu Sans) in a niche-appropriate style.
Pure and CPU-bound (Pillow): callers run ``render_wordmark`` in a thread."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from typing import Any

from PIL import Image, ImageDraw

from domain.media.render import encode
from domain.media.render.text import font

HEIGHT = 240
MAX_WIDTH = 1200
PAD = 36
CASES = ("as_is", "upper", "title")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

# Niche words -> (text, accent) colours: greens for plants, browns for coffee, and so on.
_PALETTES: tuple[tuple[tuple[str, ...], tuple[str, str]], ...] = (
    (("herb", "garden", "plant", "organic", "eco", "green", "flower"), ("#1f5130", "#7cb342")),
    (("coffee", "tea", "bakery", "chocolate", "leather", "wood"), ("#4e342e", "#c08457")),
    (("vintage", "camera", "retro", "antique", "film", "record"), ("#3e2723", "#d4a017")),
    (("cycl", "bike", "sport", "fitness", "run", "gym", "outdoor", "hiking"), ("#0d47a1", "#ff6f00")),
    (("baby", "kid", "toy", "pet", "dog", "cat"), ("#5e35b1", "#ffb300")),
    (("beauty", "skin", "makeup", "jewel", "fashion", "wedding"), ("#6a1b4d", "#e91e63")),
    (("tech", "gadget", "computer", "phone", "audio", "gaming", "game"), ("#102a43", "#00bcd4")),
    (("ocean", "sea", "surf", "fish", "swim", "boat"), ("#01579b", "#26c6da")),
    (("kitchen", "cook", "food", "wine", "bbq", "grill"), ("#7f1d1d", "#f59e0b")),
)
_FALLBACKS = (("#1e293b", "#0f766e"), ("#312e81", "#f97316"), ("#14532d", "#eab308"), ("#7c2d12", "#0ea5e9"))


@dataclass(frozen=True)
class WordmarkStyle:
    text_color: str
    accent_color: str
    case: str = "as_is"
    bold: bool = True
    underline: bool = True

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


STYLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text_color": {"type": "string", "pattern": _HEX.pattern},
        "accent_color": {"type": "string", "pattern": _HEX.pattern},
        "case": {"type": "string", "enum": list(CASES)},
        "bold": {"type": "boolean"},
        "underline": {"type": "boolean"},
    },
    "required": ["text_color", "accent_color", "case", "bold", "underline"],
    "additionalProperties": False,
}


def offline_style(niche: str) -> WordmarkStyle:
    """The palette of the first niche word family that matches; otherwise one chosen by the niche's hash, so a
    store gets the same logo every time."""
    words = niche.lower()
    for stems, (text, accent) in _PALETTES:
        if any(stem in words for stem in stems):
            return WordmarkStyle(text, accent)
    index = int(hashlib.sha256(words.encode()).hexdigest()[:8], 16) % len(_FALLBACKS)
    text, accent = _FALLBACKS[index]
    return WordmarkStyle(text, accent)


def style_from(answer: dict[str, Any], fallback: WordmarkStyle) -> WordmarkStyle:
    """A model's style, each unusable value replaced by the fallback's (colours must be ``#rrggbb``)."""

    def color(key: str, default: str) -> str:
        value = answer.get(key)
        return value if isinstance(value, str) and _HEX.match(value) else default

    case = answer.get("case")
    return WordmarkStyle(
        text_color=color("text_color", fallback.text_color),
        accent_color=color("accent_color", fallback.accent_color),
        case=case if case in CASES else fallback.case,
        bold=answer["bold"] if isinstance(answer.get("bold"), bool) else fallback.bold,
        underline=answer["underline"] if isinstance(answer.get("underline"), bool) else fallback.underline,
    )


def _rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def cased(name: str, case: str) -> str:
    if case == "upper":
        return name.upper()
    if case == "title":
        return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))
    return name


def render_wordmark(name: str, style: WordmarkStyle) -> bytes:
    """A transparent PNG, ``HEIGHT`` pixels high and as wide as the name needs (at most ``MAX_WIDTH``; a long
    name gets a smaller font): the name, and an accent bar under it when the style asks for one."""
    text = cased(" ".join(name.split()), style.case)
    size = 150
    face = font(size, style.bold)
    while size > 24 and face.getlength(text) > MAX_WIDTH - 2 * PAD:
        size -= 6
        face = font(size, style.bold)
    left, top, right, bottom = face.getbbox(text)
    text_w, text_h = right - left, bottom - top
    bar = max(6, size // 12) if style.underline else 0
    gap = bar * 2 if bar else 0
    width = min(MAX_WIDTH, int(text_w) + 2 * PAD)
    image = Image.new("RGBA", (width, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    y = (HEIGHT - (text_h + gap + bar)) // 2 - top
    draw.text((PAD - left, y), text, font=face, fill=(*_rgb(style.text_color), 255))
    if bar:
        bar_top = y + bottom + gap
        bar_w = max(bar * 4, int(text_w * 0.35))
        draw.rounded_rectangle(
            (PAD, bar_top, PAD + bar_w, bar_top + bar), radius=bar // 2, fill=(*_rgb(style.accent_color), 255)
        )
    return encode(image, "PNG")
