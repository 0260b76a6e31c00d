"""Text with the shipped font: wrapped to its box and shrunk until it fits, never past the box or the canvas."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent.parent / "fonts"
Box = tuple[int, int, int, int]
Color = tuple[int, ...]
ELLIPSIS = "…"


@lru_cache(maxsize=256)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), max(6, int(size)))


def _width(text: str, face: ImageFont.FreeTypeFont, tracking: float = 0.0) -> float:
    return face.getlength(text) + tracking * max(0, len(text) - 1)


def _break_word(word: str, face: ImageFont.FreeTypeFont, width: float, tracking: float) -> list[str]:
    """A word wider than the box (a long model number, a URL) is cut into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and _width(current + char, face, tracking) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float, tracking: float = 0.0) -> list[str]:
    """Greedy word wrap; explicit newlines are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if _width(candidate, face, tracking) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if _width(word, face, tracking) <= width:
                current = word
            else:
                *head, current = _break_word(word, face, width, tracking)
                lines.extend(head)
        if current:
            lines.append(current)
    return lines


def _ellipsize(line: str, face: ImageFont.FreeTypeFont, width: float, tracking: float) -> str:
    while line and _width(line + ELLIPSIS, face, tracking) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def clamp_box(box: Box, canvas: tuple[int, int]) -> Box:
    x0, y0, x1, y1 = box
    w, h = canvas
    x0, x1 = max(0, min(x0, w)), max(0, min(x1, w))
    y0, y1 = max(0, min(y0, h)), max(0, min(y1, h))
    return x0, y0, max(x0, x1), max(y0, y1)


def fit_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    box: Box,
    *,
    size: int,
    fill: Color,
    bold: bool = False,
    min_size: int | None = None,
    max_lines: int | None = None,
    align: str = "left",
    valign: str = "top",
    tracking: float = 0.0,
    line_spacing: float = 1.18,
) -> Box:
    """Draw ``text`` inside ``box`` (clamped to the canvas): wrapped, shrunk from ``size`` down to ``min_size``;
    what still does not fit at ``min_size`` is cut with an ellipsis. Returns the box the ink was laid out in
    (empty at the box's corner when there is no text)."""
    x0, y0, x1, y1 = clamp_box(box, draw.im.size)
    width, height = x1 - x0, y1 - y0
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text or width < 4 or height < 4:
        return x0, y0, x0, y0
    floor = max(6, min_size if min_size is not None else size // 2)
    # A word wider than the box ("Dishwasher" in a narrow callout) is broken only when even type a third
    # smaller than the floor cannot hold it: a smaller word reads better than "Dishwashe / r".
    word_floor = max(6, floor * 2 // 3)
    current = max(floor, size)
    while True:
        face = font(current, bold)
        ascent, descent = face.getmetrics()
        em = ascent + descent  # the ink height of one line, descenders included
        line_h = max(em, int(current * line_spacing))
        lines = wrap(text, face, width, tracking)
        # Breaking a word in two is the last resort: shrink first.
        words_fit = all(_width(word, face, tracking) <= width for word in text.split())
        lines_fit = (max_lines is None or len(lines) <= max_lines) and len(lines) * line_h - (line_h - em) <= height
        if lines_fit and words_fit:
            break
        if lines_fit and word_floor < current <= floor:
            current = max(word_floor, int(current * 0.9))
            continue
        if current <= floor:
            if em > height:  # not even one line of the smallest size fits: draw nothing
                return x0, y0, x0, y0
            keep = max(1, min(max_lines or len(lines), (height + line_h - em) // line_h))
            if len(lines) > keep:
                lines = [*lines[: keep - 1], _ellipsize(lines[keep - 1], face, width, tracking)]
            break
        current = max(floor, int(current * 0.9))
    total = len(lines) * line_h - (line_h - em)
    top = y0 if valign == "top" else (y0 + (height - total) // 2 if valign == "middle" else y1 - total)
    drawn_w = 0
    for i, line in enumerate(lines):
        line_w = _width(line, face, tracking)
        drawn_w = max(drawn_w, int(line_w))
        if align == "center":
            left = x0 + (width - line_w) / 2
        elif align == "right":
            left = x1 - line_w
        else:
            left = x0
        y = top + i * line_h
        if tracking:
            for char in line:
                draw.text((left, y), char, font=face, fill=fill)
                left += face.getlength(char) + tracking
        else:
            draw.text((left, y), line, font=face, fill=fill)
    if align == "center":
        ink_x0 = x0 + (width - drawn_w) // 2
    elif align == "right":
        ink_x0 = x1 - drawn_w
    else:
        ink_x0 = x0
    return ink_x0, top, ink_x0 + drawn_w, top + total
