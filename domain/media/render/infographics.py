"""Information styles: feature callouts with leader lines, the comparison chart, the six-tile grid and the
ingredient/spec panel."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from domain.media.render import canvas as cv
from domain.media.render import icons
from domain.media.render.layout import INK, MUTED, WHITE, Job, callout, headline, items
from domain.media.render.text import fit_text
from domain.media.render.types import Rendered

Box = tuple[int, int, int, int]


def silhouette_edge(img: Image.Image, box: Box, y: int, side: str) -> tuple[int, int]:
    """The point of the product's outline at height ``y`` seen from ``side``: where a leader line ends."""
    alpha = np.asarray(img.getchannel("A"))
    row = min(max(0, y - box[1]), img.height - 1)
    cols = np.flatnonzero(alpha[row] > 128)
    if not len(cols):
        cols = np.flatnonzero(alpha.max(axis=0) > 128) if alpha.max() > 128 else np.array([0, img.width - 1])
        row = img.height // 2
    x = int(cols[0] if side == "left" else cols[-1])
    inset = max(4, img.width // 25)
    return box[0] + x + (inset if side == "left" else -inset), box[1] + row


def feature_callouts(job: Job) -> Rendered:
    s = job.size
    canvas = cv.vertical_gradient(s, s, cv.tint(job.accent, 0.93), cv.tint(job.accent, 0.8))
    draw = ImageDraw.Draw(canvas)
    headline(
        job,
        draw,
        (int(s * 0.06), int(s * 0.04), int(s * 0.94), int(s * 0.17)),
        color=INK,
        sub_color=job.accent,
        size=52,
        align="center",
    )
    img, box = cv.fitted(job.product, (int(s * 0.31), int(s * 0.22), int(s * 0.69), int(s * 0.9)))
    cv.contact_shadow(canvas, box, opacity=0.35)
    cv.paste(canvas, img, box[:2])
    points = items(job.facts, 6) or [job.facts.category or job.facts.title]
    left, right = points[: (len(points) + 1) // 2], points[(len(points) + 1) // 2 :]
    card_h = job.u(120)
    for side, group in (("left", left), ("right", right)):
        x0, x1 = (int(s * 0.03), int(s * 0.29)) if side == "left" else (int(s * 0.71), int(s * 0.97))
        top, bottom = int(s * 0.24), int(s * 0.92)
        step = (bottom - top) // max(1, len(group))
        for i, text in enumerate(group):
            cy = top + step * i + step // 2
            card = (x0, cy - card_h // 2, x1, cy + card_h // 2)
            target = silhouette_edge(img, box, box[1] + int((cy - top) / (bottom - top) * (box[3] - box[1])), side)
            start = (x1, cy) if side == "left" else (x0, cy)
            d = ImageDraw.Draw(canvas)
            d.line((start, target), fill=job.accent, width=job.u(3))
            r = job.u(9)
            d.ellipse(
                (target[0] - r, target[1] - r, target[0] + r, target[1] + r),
                fill=job.accent,
                outline=WHITE,
                width=job.u(3),
            )
            callout(job, canvas, card, text, fill=(255, 255, 255, 236))
    return Rendered(cv.finish(canvas), box, True)


def comparison(job: Job) -> Rendered:
    s = job.size
    canvas = cv.solid(s, (246, 247, 250))
    draw = ImageDraw.Draw(canvas)
    headline(
        job,
        draw,
        (int(s * 0.06), int(s * 0.04), int(s * 0.94), int(s * 0.15)),
        color=INK,
        sub_color=job.accent,
        size=50,
        align="center",
    )
    label_x, ours_x, typical_x, end_x = int(s * 0.05), int(s * 0.5), int(s * 0.73), int(s * 0.95)
    head_top, head_bottom = int(s * 0.18), int(s * 0.42)
    rows: list[tuple[str, str | None]] = [(f, None) for f in job.facts.features]
    rows += [(k, v) for k, v in job.facts.specs]
    rows = rows[:7] or [(job.facts.category or "Product", job.facts.title)]  # no data: no invented claims
    row_h = min(job.u(80), (int(s * 0.95) - head_bottom) // len(rows))
    table_bottom = head_bottom + row_h * len(rows)
    cv.panel(
        canvas,
        (ours_x, head_top - job.u(10), typical_x, table_bottom + job.u(10)),
        (*cv.tint(job.accent, 0.85), 255),
        radius=job.u(22),
    )
    img, box = cv.fitted(job.product, (ours_x + job.u(20), head_top, typical_x - job.u(20), head_bottom - job.u(50)))
    cv.paste(canvas, img, box[:2])
    draw = ImageDraw.Draw(canvas)
    fit_text(
        draw,
        job.facts.brand or "Ours",
        (ours_x + job.u(10), head_bottom - job.u(46), typical_x - job.u(10), head_bottom - job.u(6)),
        size=job.u(28),
        fill=job.accent,
        bold=True,
        align="center",
        max_lines=1,
    )
    # The "typical" product is a generic outline, never a named competitor.
    gx0, gx1 = typical_x + job.u(55), end_x - job.u(55)
    draw.rounded_rectangle(
        (gx0, head_top + job.u(30), gx1, head_bottom - job.u(60)), radius=job.u(16), fill=(214, 217, 223)
    )
    fit_text(
        draw,
        "Typical",
        (typical_x, head_bottom - job.u(46), end_x, head_bottom - job.u(6)),
        size=job.u(28),
        fill=MUTED,
        bold=True,
        align="center",
        max_lines=1,
    )
    for i, (label, value) in enumerate(rows):
        y0 = head_bottom + i * row_h
        if i % 2 == 0:
            draw.rectangle((label_x, y0, ours_x - 1, y0 + row_h), fill=(255, 255, 255))
            draw.rectangle((typical_x + 1, y0, end_x, y0 + row_h), fill=(255, 255, 255))
        fit_text(
            draw,
            label,
            (label_x + job.u(16), y0 + job.u(6), ours_x - job.u(12), y0 + row_h - job.u(6)),
            size=job.u(26),
            min_size=job.u(14),
            fill=INK,
            valign="middle",
            max_lines=2,
        )
        icon = job.u(26)
        mid = y0 + row_h // 2
        ours_c, typ_c = (ours_x + typical_x) // 2, (typical_x + end_x) // 2
        if value is None:
            draw.ellipse((ours_c - icon, mid - icon, ours_c + icon, mid + icon), fill=(46, 160, 90))
            icons.check(
                draw,
                (ours_c - icon + job.u(8), mid - icon + job.u(8), ours_c + icon - job.u(8), mid + icon - job.u(8)),
                WHITE,
            )
            icons.cross(draw, (typ_c - icon, mid - icon, typ_c + icon, mid + icon), (200, 80, 80))
        else:
            fit_text(
                draw,
                value,
                (ours_x + job.u(10), y0, typical_x - job.u(10), y0 + row_h),
                size=job.u(26),
                min_size=job.u(13),
                fill=INK,
                bold=True,
                align="center",
                valign="middle",
                max_lines=2,
            )
            fit_text(
                draw,
                "—",
                (typical_x, y0, end_x, y0 + row_h),
                size=job.u(26),
                fill=MUTED,
                align="center",
                valign="middle",
                max_lines=1,
            )
    return Rendered(cv.finish(canvas), box, True)


def grid(job: Job) -> Rendered:
    s = job.size
    canvas = cv.solid(s, (244, 245, 248))
    top = cv.vertical_gradient(s, int(s * 0.52), cv.tint(job.accent, 0.9), cv.tint(job.accent, 0.75))
    cv.paste(canvas, top, (0, 0))
    draw = ImageDraw.Draw(canvas)
    headline(
        job, draw, (int(s * 0.05), int(s * 0.04), int(s * 0.5), int(s * 0.46)), color=INK, sub_color=job.accent, size=58
    )
    img, box = cv.fitted(job.product, (int(s * 0.52), int(s * 0.05), int(s * 0.95), int(s * 0.49)))
    cv.contact_shadow(canvas, box, opacity=0.3)
    cv.paste(canvas, img, box[:2])
    tiles = items(job.facts, 6) or [job.facts.title]
    cols = 3 if len(tiles) > 4 else max(1, min(2, len(tiles)))
    rows = (len(tiles) + cols - 1) // cols
    gx0, gy0, gx1, gy1 = int(s * 0.04), int(s * 0.55), int(s * 0.96), int(s * 0.97)
    gap = job.u(18)
    tw, th = (gx1 - gx0 - gap * (cols - 1)) // cols, (gy1 - gy0 - gap * (rows - 1)) // rows
    for i, text in enumerate(tiles):
        r, c = divmod(i, cols)
        x0, y0 = gx0 + c * (tw + gap), gy0 + r * (th + gap)
        cv.panel(
            canvas,
            (x0, y0, x0 + tw, y0 + th),
            (255, 255, 255, 255),
            radius=job.u(22),
            outline=(226, 229, 235, 255),
            width=job.u(2),
        )
        d = ImageDraw.Draw(canvas)
        icon = min(job.u(84), th // 3)
        ix, iy = x0 + (tw - icon) // 2, y0 + max(job.u(22), (th - icon - job.u(150)) // 2)
        d.ellipse((ix, iy, ix + icon, iy + icon), fill=job.accent)
        inset = icon // 5
        icons.for_text(text)(d, (ix + inset, iy + inset, ix + icon - inset, iy + icon - inset), WHITE)
        fit_text(
            d,
            text,
            (x0 + job.u(16), iy + icon + job.u(14), x0 + tw - job.u(16), y0 + th - job.u(14)),
            size=job.u(28),
            min_size=job.u(14),
            fill=INK,
            align="center",
            max_lines=4,
        )
    return Rendered(cv.finish(canvas), box, True)


def ingredients(job: Job) -> Rendered:
    s = job.size
    canvas = cv.vertical_gradient(s, s, (250, 247, 240), (238, 232, 220))
    img, box = cv.fitted(job.product, (int(s * 0.05), int(s * 0.16), int(s * 0.46), int(s * 0.9)), anchor="bottom")
    cv.glow(canvas, ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2), int(s * 0.3), (255, 255, 255), 0.7)
    cv.contact_shadow(canvas, box, opacity=0.35)
    cv.paste(canvas, img, box[:2])
    draw = ImageDraw.Draw(canvas)
    headline(
        job,
        draw,
        (int(s * 0.05), int(s * 0.035), int(s * 0.95), int(s * 0.13)),
        color=INK,
        sub_color=job.accent,
        size=46,
    )
    px0, py0, px1, py1 = int(s * 0.5), int(s * 0.16), int(s * 0.95), int(s * 0.94)
    cv.panel(canvas, (px0, py0, px1, py1), (255, 255, 255, 240), radius=job.u(24))
    draw = ImageDraw.Draw(canvas)
    pad = job.u(30)
    y = py0 + pad
    sections: list[tuple[str, list[str]]] = []
    if job.facts.ingredients:
        sections.append(("Ingredients", list(job.facts.ingredients)))
    if job.facts.specs:
        sections.append(("Specifications", [f"{k}: {v}" for k, v in job.facts.specs]))
    if not sections:
        sections.append(("Highlights", items(job.facts, 8) or [job.facts.title]))
    share = (py1 - pad - y) // len(sections)
    for title, lines in sections:
        bottom = y + share
        h = fit_text(
            draw,
            title,
            (px0 + pad, y, px1 - pad, y + job.u(44)),
            size=job.u(32),
            fill=job.accent,
            bold=True,
            max_lines=1,
        )
        y = h[3] + job.u(10)
        draw.line(((px0 + pad, y), (px1 - pad, y)), fill=cv.tint(job.accent, 0.6), width=job.u(3))
        y += job.u(16)
        if len(lines) > 9:  # a long INCI list reads as a paragraph, the way packs print it
            fit_text(
                draw,
                ", ".join(lines),
                (px0 + pad, y, px1 - pad, bottom - job.u(10)),
                size=job.u(24),
                min_size=job.u(12),
                fill=INK,
            )
        else:
            row = max(job.u(30), min(job.u(52), (bottom - y) // max(1, len(lines))))
            for line in lines:
                if y + row > bottom:
                    break
                dot = job.u(7)
                draw.ellipse((px0 + pad, y + row // 2 - dot, px0 + pad + 2 * dot, y + row // 2 + dot), fill=job.accent)
                fit_text(
                    draw,
                    line,
                    (px0 + pad + job.u(28), y, px1 - pad, y + row),
                    size=job.u(24),
                    min_size=job.u(12),
                    fill=INK,
                    valign="middle",
                    max_lines=1,
                )
                y += row
        y = bottom
    return Rendered(cv.finish(canvas), box, True)
