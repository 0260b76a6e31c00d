"""Marketplace image rules, measured from the pixels of every generated image.

``PLATFORM_RULES`` is the table (docs/listing-images.md prints it; a test keeps the two equal). A rule that
fails is a failed check and a warning on the result, never a silent pass. Main-image rules (background,
fill, no text) apply to the styles that make a platform's main image (``CLEAN_WHITE_BG``); the others are
secondary images and get the size, mode, aspect and format rules only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from domain.errors import InvalidInput

MAIN_STYLES = frozenset({"CLEAN_WHITE_BG"})


@dataclass(frozen=True)
class PlatformRules:
    platform: str
    min_edge: int  # px, each side
    max_edge: int
    aspect: tuple[float, float]  # allowed width / height
    formats: tuple[str, ...]
    # Main image only: every border pixel at least this bright on every channel (255: pure white), the
    # product's bounding box at least this share of the frame along its longer side, and no text.
    main_background: int | None = None
    main_fill: float | None = None
    main_no_text: bool = False


PLATFORM_RULES: dict[str, PlatformRules] = {
    r.platform: r
    for r in (
        PlatformRules("amazon", 2000, 10000, (1.0, 1.0), ("JPEG", "PNG", "TIFF", "GIF"), 255, 0.85, True),
        PlatformRules("flipkart", 1000, 5000, (1.0, 1.0), ("JPEG", "PNG"), 245, 0.85, True),
        PlatformRules("shopify", 800, 4472, (0.5, 2.0), ("JPEG", "PNG", "WEBP", "GIF")),
        PlatformRules("etsy", 635, 10000, (0.5, 2.0), ("JPEG", "PNG", "GIF")),
        PlatformRules("woocommerce", 800, 5000, (0.5, 2.0), ("JPEG", "PNG", "WEBP", "GIF")),
        PlatformRules("bigcommerce", 800, 5000, (0.5, 2.0), ("JPEG", "PNG", "WEBP", "GIF")),
        PlatformRules("general", 1000, 5000, (0.5, 2.0), ("JPEG", "PNG", "WEBP")),
    )
}


@dataclass(frozen=True)
class Check:
    rule: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class ComplianceReport:
    platform: str
    style: str
    passed: bool
    checks: tuple[Check, ...]

    def warnings(self) -> list[str]:
        return [f"{self.platform} {c.rule}: {c.detail}" for c in self.checks if not c.passed]

    def failed(self) -> list[str]:
        return [c.rule for c in self.checks if not c.passed]

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "style": self.style,
            "passed": self.passed,
            "checks": [{"rule": c.rule, "passed": c.passed, "detail": c.detail} for c in self.checks],
        }


def border_band(image: Image.Image) -> np.ndarray:
    """The pixels of the outer band (1% of the edge, at least 1 px), corners included."""
    a = np.asarray(image.convert("RGB"))
    k = max(1, min(a.shape[:2]) // 100)
    return np.concatenate(
        [a[:k].reshape(-1, 3), a[-k:].reshape(-1, 3), a[:, :k].reshape(-1, 3), a[:, -k:].reshape(-1, 3)]
    )


def subject_fill(image: Image.Image) -> tuple[float, tuple[int, int, int, int] | None]:
    """The share of the frame, along its longer side, that the bounding box of the product covers: the pixels
    that differ from the background (the border band's median colour; on pure white, any non-white pixel)."""
    a = np.asarray(image.convert("RGB")).astype(np.int16)
    background = np.median(border_band(image), axis=0)
    tolerance = 0 if (background == 255).all() else 12  # a photographed backdrop is never one exact colour
    ink = (np.abs(a - background) > tolerance).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return 0.0, None
    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    share = max((box[2] - box[0]) / image.width, (box[3] - box[1]) / image.height)
    return share, box


def check(image: Image.Image, *, platform: str, style: str, has_text: bool, fmt: str = "PNG") -> ComplianceReport:
    rules = PLATFORM_RULES.get(platform)
    if rules is None:
        raise InvalidInput.field("platform", f"Unknown platform {platform!r}.", rule="in")
    w, h = image.size
    checks = [
        Check("color_mode", image.mode == "RGB", f"mode {image.mode}; RGB required"),
        Check("min_size", min(w, h) >= rules.min_edge, f"{w}x{h} px; at least {rules.min_edge} px on each side"),
        Check("max_size", max(w, h) <= rules.max_edge, f"{w}x{h} px; at most {rules.max_edge} px on each side"),
        Check(
            "aspect_ratio",
            rules.aspect[0] - 1e-3 <= w / h <= rules.aspect[1] + 1e-3,
            f"{w / h:.3f} (width / height); allowed {rules.aspect[0]:g} to {rules.aspect[1]:g}",
        ),
        Check(
            "file_format",
            fmt.upper().replace("JPG", "JPEG") in rules.formats,
            f"{fmt.upper()}; accepted {', '.join(rules.formats)}",
        ),
    ]
    if style in MAIN_STYLES:
        if rules.main_background is not None:
            band = border_band(image)
            off = int((band < rules.main_background).any(axis=1).sum())
            want = (
                "pure white (255, 255, 255)"
                if rules.main_background == 255
                else (f"white (every channel >= {rules.main_background})")
            )
            darkest = tuple(int(v) for v in band.min(axis=0))
            checks.append(
                Check(
                    "white_background",
                    off == 0,
                    f"{off} of {len(band)} border pixels are not {want}; darkest channels {darkest}",
                )
            )
        if rules.main_fill is not None:
            share, box = subject_fill(image)
            checks.append(
                Check(
                    "product_fill",
                    share >= rules.main_fill,
                    f"product box {box} fills {share:.0%} of the frame; at least {rules.main_fill:.0%}",
                )
            )
        if rules.main_no_text:
            checks.append(
                Check(
                    "no_text",
                    not has_text,
                    "text is drawn on the main image" if has_text else "no text on the main image",
                )
            )
    return ComplianceReport(platform, style, all(c.passed for c in checks), tuple(checks))


def rules_table() -> str:
    """``PLATFORM_RULES`` as the Markdown table docs/listing-images.md shows."""
    lines = [
        "| Platform | Size (px, each side) | Aspect (w/h) | Formats | Main image (CLEAN_WHITE_BG) |",
        "|---|---|---|---|---|",
    ]
    for r in PLATFORM_RULES.values():
        aspect = "1:1" if r.aspect == (1.0, 1.0) else f"{r.aspect[0]:g} to {r.aspect[1]:g}"
        main = []
        if r.main_background is not None:
            main.append(
                "pure white border (255)" if r.main_background == 255 else f"white border (>= {r.main_background})"
            )
        if r.main_fill is not None:
            main.append(f"product fills >= {r.main_fill:.0%}")
        if r.main_no_text:
            main.append("no text")
        lines.append(
            f"| {r.platform} | {r.min_edge} to {r.max_edge} | {aspect} | {', '.join(r.formats)} | "
            f"{', '.join(main) or '—'} |"
        )
    return "\n".join(lines)
