"""Studio styles: the white-background main image, shadow and reflection, the dark premium look, and the
dimension sheet."""

from __future__ import annotations

from PIL import ImageDraw

from domain.media.render import canvas as cv
from domain.media.render.layout import INK, MUTED, WHITE, Job, headline, items, tagline
from domain.media.render.text import fit_text
from domain.media.render.types import Rendered

MAIN_IMAGE_FILL = 0.9  # of the frame along the product's longer side; Amazon asks for at least 85%


def clean_white(job: Job) -> Rendered:
    s = job.size
    canvas = cv.solid(s, WHITE)
    img, box = cv.fitted(job.product, (0, 0, s, s), fill=MAIN_IMAGE_FILL)
    cv.paste(canvas, img, box[:2])
    return Rendered(cv.finish(canvas), box, False)


def shadow_reflection(job: Job) -> Rendered:
    s = job.size
    canvas = cv.vertical_gradient(s, s, (252, 252, 253), (226, 228, 232))
    horizon = int(s * 0.70)
    floor = cv.vertical_gradient(s, s - horizon, (238, 239, 242), (250, 250, 251))
    cv.paste(canvas, floor, (0, horizon))
    cv.glow(canvas, (s // 2, int(s * 0.42)), int(s * 0.5), (255, 255, 255), 0.9)
    img, box = cv.fitted(job.product, (int(s * 0.18), int(s * 0.1), int(s * 0.82), horizon), anchor="bottom")
    cv.drop_shadow(canvas, img, box[:2], offset=(job.u(26), job.u(8)), blur=job.u(34), opacity=0.22)
    cv.reflection(canvas, img, box, opacity=0.32, depth=0.42)
    cv.contact_shadow(canvas, box, opacity=0.5)
    cv.paste(canvas, img, box[:2])
    return Rendered(cv.finish(canvas), box, False)


def premium(job: Job) -> Rendered:
    s = job.size
    gold = (201, 168, 106)
    canvas = cv.vertical_gradient(s, s, (30, 30, 34), (8, 8, 10))
    img, box = cv.fitted(job.product, (int(s * 0.44), int(s * 0.14), int(s * 0.95), int(s * 0.76)), anchor="bottom")
    cx = (box[0] + box[2]) // 2
    cv.glow(canvas, (cx, (box[1] + box[3]) // 2), int(s * 0.42), (120, 110, 96), 0.55)
    cv.glow(canvas, (cx, box[3]), int(s * 0.3), (80, 74, 66), 0.5)
    cv.reflection(canvas, img, box, opacity=0.16, depth=0.3)
    cv.contact_shadow(canvas, box, opacity=0.7)
    cv.rim_light(canvas, img, box[:2], (255, 232, 196), job.u(7))
    cv.paste(canvas, img, box[:2])
    draw = ImageDraw.Draw(canvas)
    left, right = int(s * 0.07), int(s * 0.42)
    brand = (job.facts.brand or job.facts.category or "").upper()
    top = int(s * 0.12)
    if brand:
        b = fit_text(
            draw,
            brand,
            (left, top, right, top + job.u(40)),
            size=job.u(26),
            fill=gold,
            bold=True,
            max_lines=1,
            tracking=job.u(6),
        )
        top = b[3] + job.u(22)
    draw.line(((left, top), (left + job.u(90), top)), fill=gold, width=job.u(3))
    t = fit_text(
        draw,
        job.facts.title,
        (left, top + job.u(30), right, int(s * 0.62)),
        size=job.u(66),
        min_size=job.u(30),
        fill=WHITE,
        bold=True,
        max_lines=5,
    )
    line = tagline(job.request) or next(iter(items(job.facts, 1)), None)
    if line:
        fit_text(
            draw,
            line,
            (left, t[3] + job.u(28), right, int(s * 0.8)),
            size=job.u(28),
            min_size=job.u(18),
            fill=(190, 186, 178),
            max_lines=4,
        )
    if job.facts.price:
        fit_text(
            draw,
            job.facts.price,
            (left, int(s * 0.84), right, int(s * 0.92)),
            size=job.u(40),
            fill=gold,
            bold=True,
            max_lines=1,
        )
    draw.line(((int(s * 0.44), int(s * 0.9)), (int(s * 0.93), int(s * 0.9))), fill=(70, 66, 60), width=job.u(2))
    return Rendered(cv.finish(canvas), box, True)


VERTICAL = ("height", "tall", "high")
HORIZONTAL = ("width", "wide", "length", "long", "diameter")


def dimension_spec(job: Job) -> Rendered:
    s = job.size
    canvas = cv.solid(s, (247, 248, 250))
    draw = ImageDraw.Draw(canvas)
    for i in range(1, 20):  # faint drafting grid
        p = i * s // 20
        draw.line(((p, 0), (p, s)), fill=(236, 238, 242), width=1)
        draw.line(((0, p), (s, p)), fill=(236, 238, 242), width=1)
    headline(
        job,
        draw,
        (int(s * 0.06), int(s * 0.04), int(s * 0.94), int(s * 0.15)),
        color=INK,
        sub_color=job.accent,
        size=48,
    )
    dims = list(job.facts.dimensions)
    vertical = next(((k, v) for k, v in dims if any(w in k.lower() for w in VERTICAL)), None)
    horizontal = next(((k, v) for k, v in dims if any(w in k.lower() for w in HORIZONTAL)), None)
    img, box = cv.fitted(job.product, (int(s * 0.17), int(s * 0.2), int(s * 0.58), int(s * 0.76)))
    cv.contact_shadow(canvas, box, opacity=0.25)
    cv.paste(canvas, img, box[:2])
    line, thin, head = job.accent, (150, 156, 166), job.u(18)
    if vertical:
        x = box[0] - job.u(48)
        for y in (box[1], box[3]):
            draw.line(((x - job.u(12), y), (box[0] - job.u(6), y)), fill=thin, width=job.u(2))
        cv.arrow(draw, (x, box[1]), (x, box[3]), fill=line, width=job.u(4), head=head)
        label_w = job.u(150)
        pill = (
            max(0, x - label_w // 2),
            (box[1] + box[3]) // 2 - job.u(34),
            x + label_w // 2,
            (box[1] + box[3]) // 2 + job.u(34),
        )
        draw.rounded_rectangle(pill, radius=job.u(12), fill=WHITE, outline=line, width=job.u(3))
        fit_text(
            draw,
            vertical[1],
            (pill[0] + job.u(8), pill[1], pill[2] - job.u(8), pill[3]),
            size=job.u(28),
            min_size=job.u(14),
            fill=INK,
            bold=True,
            align="center",
            valign="middle",
            max_lines=2,
        )
    if horizontal:
        y = box[3] + job.u(56)
        for x in (box[0], box[2]):
            draw.line(((x, box[3] + job.u(8)), (x, y + job.u(12))), fill=thin, width=job.u(2))
        cv.arrow(draw, (box[0], y), (box[2], y), fill=line, width=job.u(4), head=head)
        cx = (box[0] + box[2]) // 2
        pill = (cx - job.u(95), y + job.u(18), cx + job.u(95), y + job.u(78))
        draw.rounded_rectangle(pill, radius=job.u(12), fill=WHITE, outline=line, width=job.u(3))
        fit_text(
            draw,
            horizontal[1],
            (pill[0] + job.u(8), pill[1], pill[2] - job.u(8), pill[3]),
            size=job.u(28),
            min_size=job.u(14),
            fill=INK,
            bold=True,
            align="center",
            valign="middle",
            max_lines=1,
        )
    rows = dims + [r for r in job.facts.specs if r not in dims]
    panel_box = (int(s * 0.64), int(s * 0.2), int(s * 0.95), int(s * 0.9))
    cv.panel(canvas, panel_box, (255, 255, 255, 255), radius=job.u(20), outline=(222, 225, 231, 255), width=job.u(2))
    draw = ImageDraw.Draw(canvas)
    px0, py0, px1, py1 = panel_box
    pad = job.u(26)
    heading = "Dimensions & specs" if dims else "Specifications"
    h = fit_text(
        draw,
        heading,
        (px0 + pad, py0 + pad, px1 - pad, py0 + pad + job.u(40)),
        size=job.u(30),
        fill=INK,
        bold=True,
        max_lines=1,
    )
    y = h[3] + job.u(22)
    if not rows:
        lines = items(job.facts, 6) or ["No measurements were given for this product."]
        fit_text(
            draw, "\n".join(lines), (px0 + pad, y, px1 - pad, py1 - pad), size=job.u(24), min_size=job.u(14), fill=MUTED
        )
    row_h = max(job.u(44), min(job.u(84), (py1 - pad - y) // max(1, len(rows))))
    for name, value in rows:
        if y + row_h > py1 - pad:
            break
        fit_text(
            draw,
            name,
            (px0 + pad, y, px1 - pad, y + row_h // 2),
            size=job.u(20),
            min_size=job.u(12),
            fill=MUTED,
            max_lines=1,
        )
        fit_text(
            draw,
            value,
            (px0 + pad, y + row_h // 2 - job.u(4), px1 - pad, y + row_h - job.u(6)),
            size=job.u(26),
            min_size=job.u(13),
            fill=INK,
            bold=True,
            max_lines=1,
        )
        y += row_h
        draw.line(((px0 + pad, y - job.u(3)), (px1 - pad, y - job.u(3))), fill=(232, 234, 238), width=job.u(2))
    return Rendered(cv.finish(canvas), box, True)
