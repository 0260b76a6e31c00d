"""Story styles: the before/after split and the packaging (unboxing) display."""

from __future__ import annotations

import math
import re

from PIL import ImageDraw, ImageEnhance, ImageFilter

from domain.media.render import canvas as cv
from domain.media.render import icons
from domain.media.render.layout import INK, WHITE, Job, items
from domain.media.render.text import fit_text
from domain.media.render.types import Rendered

SPLIT = re.compile(r"\s*(?:->|→|\|)\s*")
KIT_KEYS = ("in the box", "in box", "includes", "included", "contents", "kit", "package")


def captions(job: Job) -> tuple[str, str]:
    """Before and after lines: ``customPrompt`` as "problem -> solution" (or "|"), else the product's own words."""
    prompt = (job.request.custom_prompt or "").strip()
    parts = [p for p in SPLIT.split(prompt) if p] if prompt else []
    if len(parts) >= 2:
        return parts[0], parts[1]
    after = parts[0] if parts else next(iter(items(job.facts, 1)), f"With {job.facts.title}")
    return f"Without {job.facts.title}", after


def sparkle(draw: ImageDraw.ImageDraw, center: tuple[int, int], r: int, fill: tuple[int, ...]) -> None:
    cx, cy = center
    w = max(1, r // 4)
    draw.polygon(
        (
            (cx, cy - r),
            (cx + w, cy - w),
            (cx + r, cy),
            (cx + w, cy + w),
            (cx, cy + r),
            (cx - w, cy + w),
            (cx - r, cy),
            (cx - w, cy - w),
        ),
        fill=fill,
    )


def before_after(job: Job) -> Rendered:
    s, half = job.size, job.size // 2
    rand = cv.rng(job.request)
    before = cv.vertical_gradient(half, s, (168, 164, 158), (120, 116, 110))
    grime = cv.clear(half, s)
    d = ImageDraw.Draw(grime)
    for _ in range(18):  # the problem: grime on a dull surface, each stain a cluster of blots
        x, y = rand.randint(0, half), rand.randint(int(s * 0.15), int(s * 0.8))
        tone = (rand.randint(80, 100), rand.randint(68, 82), rand.randint(52, 64), rand.randint(60, 120))
        for _ in range(4):
            r = rand.randint(job.u(10), job.u(42))
            ox, oy = rand.randint(-job.u(30), job.u(30)), rand.randint(-job.u(20), job.u(20))
            d.ellipse((x + ox - r, y + oy - r * 0.7, x + ox + r, y + oy + r * 0.7), fill=tone)
    before.alpha_composite(grime)
    dull = cv.scaled(job.product, int(half * 0.6), int(s * 0.5)).convert("RGBA")
    grey = ImageEnhance.Color(dull).enhance(0.05)
    grey = ImageEnhance.Brightness(grey).enhance(0.7).filter(ImageFilter.GaussianBlur(job.u(3)))
    grey.putalpha(dull.getchannel("A").point(lambda a: int(a * 0.35)))
    cv.paste(before, grey, ((half - grey.width) // 2, int(s * 0.22) + (int(s * 0.56) - grey.height) // 2))
    after = cv.vertical_gradient(s - half, s, cv.tint(job.accent, 0.94), cv.tint(job.accent, 0.78))
    cv.glow(after, ((s - half) // 2, int(s * 0.45)), int(s * 0.36), (255, 255, 255), 0.9)
    canvas = cv.solid(s, WHITE)
    cv.paste(canvas, before, (0, 0))
    cv.paste(canvas, after, (half, 0))
    img, box = cv.fitted(job.product, (half + job.u(60), int(s * 0.18), s - job.u(60), int(s * 0.78)))
    cv.contact_shadow(canvas, box, opacity=0.35)
    cv.paste(canvas, img, box[:2])
    draw = ImageDraw.Draw(canvas)
    for _ in range(6):
        p = (rand.randint(half + job.u(40), s - job.u(40)), rand.randint(int(s * 0.14), int(s * 0.8)))
        if not (box[0] < p[0] < box[2] and box[1] < p[1] < box[3]):
            sparkle(draw, p, rand.randint(job.u(14), job.u(30)), (255, 255, 255, 255))
    for x0, label, fill, ink in ((0, "BEFORE", (60, 58, 56), WHITE), (half, "AFTER", job.accent, WHITE)):
        pill = (x0 + job.u(40), job.u(40), x0 + job.u(250), job.u(104))
        draw.rounded_rectangle(pill, radius=job.u(32), fill=fill)
        fit_text(
            draw,
            label,
            pill,
            size=job.u(32),
            fill=ink,
            bold=True,
            align="center",
            valign="middle",
            max_lines=1,
            tracking=job.u(3),
        )
    before_text, after_text = captions(job)
    for x0, text, band, ink in (
        (0, before_text, (40, 38, 36, 200), (235, 232, 228)),
        (half, after_text, (255, 255, 255, 225), INK),
    ):
        cv.panel(canvas, (x0 + job.u(30), int(s * 0.82), x0 + half - job.u(30), int(s * 0.96)), band, radius=job.u(20))
        fit_text(
            ImageDraw.Draw(canvas),
            text,
            (x0 + job.u(50), int(s * 0.83), x0 + half - job.u(50), int(s * 0.95)),
            size=job.u(34),
            min_size=job.u(16),
            fill=ink,
            bold=True,
            align="center",
            valign="middle",
            max_lines=3,
        )
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((half - job.u(4), 0, half + job.u(4), s), fill=WHITE)
    r = job.u(46)
    draw.ellipse((half - r, s // 2 - r, half + r, s // 2 + r), fill=WHITE, outline=job.accent, width=job.u(5))
    cv.arrow(
        draw,
        (half - r * 0.5, s / 2),
        (half + r * 0.55, s / 2),
        fill=job.accent,
        width=job.u(7),
        head=job.u(22),
        both=False,
    )
    return Rendered(cv.finish(canvas), box, True)


def kit_items(job: Job) -> list[str]:
    for key, value in job.facts.specs:
        if any(k in key.lower() for k in KIT_KEYS):
            return [p.strip() for p in re.split(r"[,;+\n]", value) if p.strip()][:5]
    return []


def packaging(job: Job) -> Rendered:
    s = job.size
    canvas = cv.vertical_gradient(s, s, (244, 242, 238), (214, 209, 201))
    horizon = int(s * 0.74)
    cv.paste(canvas, cv.vertical_gradient(s, s - horizon, (226, 221, 213), (240, 237, 232)), (0, horizon))
    fx0, fy0, fx1, fy1 = int(s * 0.08), int(s * 0.3), int(s * 0.5), horizon + job.u(40)
    depth = int(s * 0.15)
    dx, dy = int(depth * math.cos(math.radians(32))), -int(depth * math.sin(math.radians(32)))
    cv.contact_shadow(canvas, (fx0, fy0, fx1 + dx, fy1), opacity=0.45, spread=1.1)
    draw = ImageDraw.Draw(canvas)
    front, side, top = job.accent, cv.tint(job.accent, -0.35), cv.tint(job.accent, 0.3)
    draw.polygon(((fx1, fy0), (fx1 + dx, fy0 + dy), (fx1 + dx, fy1 + dy), (fx1, fy1)), fill=side)
    draw.polygon(((fx0, fy0), (fx0 + dx, fy0 + dy), (fx1 + dx, fy0 + dy), (fx1, fy0)), fill=top)
    draw.rectangle((fx0, fy0, fx1, fy1), fill=front)
    flap = job.u(6)
    draw.line(((fx0 + dx // 2, fy0 + dy // 2), (fx1 + dx // 2, fy0 + dy // 2)), fill=cv.tint(top, -0.15), width=flap)
    band_y = fy0 + int((fy1 - fy0) * 0.62)
    draw.rectangle((fx0, band_y, fx1, band_y + job.u(16)), fill=cv.tint(job.accent, 0.55))
    pad = job.u(30)
    ty = fy0 + pad
    if job.facts.brand:
        b = fit_text(
            draw,
            job.facts.brand.upper(),
            (fx0 + pad, ty, fx1 - pad, ty + job.u(40)),
            size=job.u(28),
            fill=cv.tint(job.accent, 0.75),
            bold=True,
            max_lines=1,
            tracking=job.u(5),
        )
        ty = b[3] + job.u(14)
    fit_text(
        draw,
        job.facts.title,
        (fx0 + pad, ty, fx1 - pad, band_y - job.u(20)),
        size=job.u(46),
        min_size=job.u(18),
        fill=WHITE,
        bold=True,
        max_lines=4,
    )
    thumb_box = (fx0 + pad, band_y + job.u(34), fx1 - pad, fy1 - pad)
    thumb, tbox = cv.fitted(job.product, thumb_box)
    cv.paste(canvas, thumb, tbox[:2])
    img, box = cv.fitted(job.product, (int(s * 0.5), int(s * 0.2), int(s * 0.93), int(s * 0.86)), anchor="bottom")
    cv.contact_shadow(canvas, box, opacity=0.45)
    cv.paste(canvas, img, box[:2])
    kit = kit_items(job)
    if kit:
        d = ImageDraw.Draw(canvas)
        fit_text(
            d,
            "In the box",
            (int(s * 0.05), int(s * 0.03), int(s * 0.95), int(s * 0.08)),
            size=job.u(30),
            fill=INK,
            bold=True,
            max_lines=1,
        )
        gap = job.u(14)
        width = (int(s * 0.9) - gap * (len(kit) - 1)) // len(kit)
        for i, name in enumerate(kit):
            x0 = int(s * 0.05) + i * (width + gap)
            card = (x0, int(s * 0.1), x0 + width, int(s * 0.2))
            cv.panel(canvas, card, (255, 255, 255, 235), radius=job.u(16))
            d = ImageDraw.Draw(canvas)
            icon = job.u(40)
            icons.check(
                d,
                (
                    x0 + job.u(12),
                    card[1] + (card[3] - card[1] - icon) // 2,
                    x0 + job.u(12) + icon,
                    card[1] + (card[3] - card[1] + icon) // 2,
                ),
                job.accent,
            )
            fit_text(
                d,
                name,
                (x0 + icon + job.u(20), card[1] + job.u(6), card[2] - job.u(10), card[3] - job.u(6)),
                size=job.u(24),
                min_size=job.u(12),
                fill=INK,
                valign="middle",
                max_lines=2,
            )
    return Rendered(cv.finish(canvas), box, True)
