"""SEASONAL_VARIANT: a theme per season or festival (palette, greeting, drawn motifs), the product on a podium.
An unknown season gets the neutral festive theme; with an image model's scene the theme frames that scene."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import ImageDraw

from domain.media.render import canvas as cv
from domain.media.render.layout import Job
from domain.media.render.motifs import MOTIFS
from domain.media.render.text import fit_text
from domain.media.render.types import Rendered

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    key: str
    greeting: str
    top: RGB
    bottom: RGB
    accent: RGB  # podium rim, motifs
    ink: RGB  # headline
    motifs: tuple[str, ...]
    motif_colors: tuple[RGB, ...]


GOLD: RGB = (230, 190, 90)
THEMES: dict[str, Theme] = {
    t.key: t
    for t in (
        Theme(
            "christmas",
            "Merry Christmas",
            (160, 24, 36),
            (84, 10, 18),
            GOLD,
            (255, 255, 255),
            ("snowflake", "ornament", "star"),
            ((255, 255, 255), GOLD),
        ),
        Theme(
            "diwali",
            "Happy Diwali",
            (92, 18, 84),
            (196, 78, 22),
            (255, 200, 80),
            (255, 226, 150),
            ("diya", "firework", "star"),
            ((255, 200, 80), (255, 120, 60), (255, 240, 200)),
        ),
        Theme(
            "halloween",
            "Happy Halloween",
            (34, 16, 52),
            (214, 96, 20),
            (255, 140, 30),
            (255, 170, 60),
            ("pumpkin", "bat", "crescent"),
            ((20, 12, 24), (250, 230, 170)),
        ),
        Theme(
            "valentines",
            "Happy Valentine's Day",
            (255, 214, 222),
            (214, 56, 96),
            (190, 20, 66),
            (150, 10, 50),
            ("heart",),
            ((230, 40, 90), (255, 255, 255), (255, 150, 180)),
        ),
        Theme(
            "summer",
            "Hello Summer",
            (110, 196, 240),
            (255, 216, 146),
            (255, 120, 60),
            (255, 255, 255),
            ("sun", "wave"),
            ((255, 200, 40), (255, 255, 255)),
        ),
        Theme(
            "winter",
            "Winter Collection",
            (214, 232, 248),
            (104, 146, 198),
            (40, 80, 140),
            (24, 56, 110),
            ("snowflake",),
            ((255, 255, 255), (236, 246, 255)),
        ),
        Theme(
            "spring",
            "Hello Spring",
            (238, 250, 232),
            (168, 218, 156),
            (222, 90, 140),
            (60, 110, 60),
            ("flower", "leaf"),
            ((240, 120, 170), (255, 190, 210), (120, 180, 90)),
        ),
        Theme(
            "autumn",
            "Autumn Collection",
            (252, 228, 184),
            (188, 92, 40),
            (150, 50, 20),
            (110, 40, 14),
            ("leaf",),
            ((210, 90, 30), (230, 160, 40), (160, 50, 20)),
        ),
        Theme(
            "eid",
            "Eid Mubarak",
            (12, 64, 74),
            (8, 28, 44),
            GOLD,
            GOLD,
            ("crescent", "lantern", "star"),
            (GOLD, (250, 230, 170)),
        ),
        Theme(
            "new-year",
            "Happy New Year",
            (18, 22, 54),
            (4, 4, 18),
            GOLD,
            GOLD,
            ("firework", "confetti", "star"),
            (GOLD, (255, 255, 255), (120, 200, 255), (255, 120, 160)),
        ),
        Theme(
            "holi",
            "Happy Holi",
            (255, 244, 236),
            (255, 210, 230),
            (220, 40, 120),
            (200, 30, 110),
            ("confetti", "flower"),
            ((240, 40, 120), (40, 170, 230), (255, 200, 0), (60, 190, 90)),
        ),
        # What an unrecognised season gets: neutral colours, confetti and stars, no festival named.
        Theme(
            "festive",
            "Celebrate the season",
            (246, 240, 230),
            (212, 196, 170),
            (160, 120, 60),
            (96, 70, 30),
            ("confetti", "star"),
            ((200, 160, 80), (160, 120, 60), (230, 210, 160)),
        ),
    )
}
ALIASES = {
    "xmas": "christmas",
    "deepavali": "diwali",
    "valentine": "valentines",
    "valentinesday": "valentines",
    "fall": "autumn",
    "eidalfitr": "eid",
    "eidaladha": "eid",
    "ramadan": "eid",
    "newyear": "new-year",
    "newyears": "new-year",
    "newyearseve": "new-year",
    "nye": "new-year",
    "halloweeen": "halloween",
}


def theme_for(season: str | None) -> Theme:
    """The theme for a season name (case, spaces, dashes and apostrophes ignored); unknown → neutral festive."""
    key = re.sub(r"[^a-z]", "", (season or "").lower())
    key = ALIASES.get(key, key)
    if key == "newyear":
        key = "new-year"
    return THEMES.get(key, THEMES["festive"])


def seasonal(job: Job) -> Rendered:
    s = job.size
    theme = theme_for(job.request.season)
    rand = cv.rng(job.request, theme.key)
    greeting = (job.request.custom_prompt or "").strip() or theme.greeting
    if job.request.scene is not None:
        canvas = cv.cover(job.request.scene, s, s)
        box = (0, 0, s, s)
        band = cv.vertical_gradient(s, int(s * 0.24), theme.top, theme.bottom)
        band.putalpha(int(255 * 0.82))
        cv.paste(canvas, band, (0, 0))
        avoid = [(int(s * 0.05), int(s * 0.24), int(s * 0.95), s)]
    else:
        canvas = cv.vertical_gradient(s, s, theme.top, theme.bottom)
        cv.glow(canvas, (s // 2, int(s * 0.55)), int(s * 0.42), cv.tint(theme.top, 0.5), 0.55)
        img, box = cv.fitted(job.product, (int(s * 0.24), int(s * 0.26), int(s * 0.76), int(s * 0.8)), anchor="bottom")
        avoid = [
            (box[0] - job.u(20), box[1] - job.u(20), box[2] + job.u(20), s),
            (int(s * 0.08), int(s * 0.03), int(s * 0.92), int(s * 0.22)),
        ]
    layer = cv.clear(s, s)
    d = ImageDraw.Draw(layer)
    for x, y in cv.spread_points(26, (0, int(s * 0.02), s, s), rand, avoid):
        name = rand.choice(theme.motifs)
        color = rand.choice(theme.motif_colors)
        MOTIFS[name](d, x, y, rand.uniform(job.u(16), job.u(46)), (*color, rand.randint(170, 240)), rand)
    canvas.alpha_composite(layer)
    if job.request.scene is None:
        cx, top = (box[0] + box[2]) // 2, box[3] - job.u(24)
        w = max(int(s * 0.5), box[2] - box[0] + job.u(120))
        d = ImageDraw.Draw(canvas)
        d.ellipse((cx - w // 2, top + job.u(40), cx + w // 2, top + job.u(150)), fill=cv.tint(theme.accent, -0.45))
        d.rectangle((cx - w // 2, top + job.u(20), cx + w // 2, top + job.u(95)), fill=cv.tint(theme.accent, -0.3))
        d.ellipse((cx - w // 2, top - job.u(18), cx + w // 2, top + job.u(58)), fill=theme.accent)
        d.ellipse(
            (cx - w // 2 + job.u(10), top - job.u(10), cx + w // 2 - job.u(10), top + job.u(50)),
            fill=cv.tint(theme.accent, 0.25),
        )
        cv.contact_shadow(canvas, (box[0], box[1], box[2], box[3] - job.u(4)), opacity=0.45)
        cv.paste(canvas, img, box[:2])
    draw = ImageDraw.Draw(canvas)
    g = fit_text(
        draw,
        greeting,
        (int(s * 0.08), int(s * 0.035), int(s * 0.92), int(s * 0.15)),
        size=job.u(74),
        min_size=job.u(30),
        fill=theme.ink,
        bold=True,
        align="center",
        max_lines=2,
    )
    fit_text(
        draw,
        job.facts.title,
        (int(s * 0.1), g[3] + job.u(12), int(s * 0.9), int(s * 0.225)),
        size=job.u(34),
        min_size=job.u(16),
        fill=theme.ink,
        align="center",
        max_lines=2,
    )
    return Rendered(cv.finish(canvas), box, True)
