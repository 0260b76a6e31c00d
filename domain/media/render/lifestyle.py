"""Lifestyle and model styles. With an image model's scene (``request.scene``) that scene is the picture and
Pillow only lays it out (crop to size, callouts, headline); offline, an illustrative scene is drawn (see
``scenes``) and, for the model styles, a flat-vector figure presents the product (see ``figure``)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from domain.media.render import canvas as cv
from domain.media.render import figure as fig
from domain.media.render.layout import WHITE, Job, callout, headline, items
from domain.media.render.scenes import scene_for
from domain.media.render.types import Rendered

Box = tuple[int, int, int, int]


def _backdrop(job: Job) -> tuple[Image.Image, int, tuple[int, int]] | None:
    """The model's scene, when there is one: (canvas, surface, light)."""
    if job.request.scene is None:
        return None
    return cv.cover(job.request.scene, job.size, job.size), int(job.size * 0.8), (0, 0)


def _stand(job: Job, canvas: Image.Image, box: Box, light: tuple[int, int]) -> Box:
    """The product standing on the scene's surface, its shadow falling away from the light."""
    img, placed = cv.fitted(job.product, box, anchor="bottom")
    away = 1 if light[0] < (placed[0] + placed[2]) // 2 else -1
    cv.drop_shadow(canvas, img, placed[:2], offset=(away * job.u(34), job.u(12)), blur=job.u(26), opacity=0.3)
    cv.contact_shadow(canvas, placed, opacity=0.5)
    cv.paste(canvas, img, placed[:2])
    return placed


def contextual(job: Job) -> Rendered:
    s = job.size
    given = _backdrop(job)
    if given:
        return Rendered(cv.finish(given[0]), (0, 0, s, s), False)
    scene = scene_for(job.request, s)
    canvas = scene.image
    box = _stand(job, canvas, (int(s * 0.3), int(s * 0.3), int(s * 0.7), scene.surface_y), scene.light)
    return Rendered(cv.finish(canvas), box, False)


def _cards(job: Job, canvas: Image.Image, area: Box, count: int) -> None:
    x0, y0, x1, y1 = area
    texts = items(job.facts, count) or [job.facts.title]
    gap = job.u(18)
    h = min(job.u(130), (y1 - y0 - gap * (len(texts) - 1)) // len(texts))
    top = y0 + (y1 - y0 - (h * len(texts) + gap * (len(texts) - 1))) // 2
    for i, text in enumerate(texts):
        y = top + i * (h + gap)
        callout(job, canvas, (x0, y, x1, y + h), text, fill=(255, 255, 255, 228))


def _title_band(job: Job, canvas: Image.Image) -> None:
    s = job.size
    band = cv.clear(s, int(s * 0.16))
    band.paste((*job.accent, 225), (0, 0, s, band.height))
    cv.paste(canvas, band, (0, 0))
    headline(
        job,
        ImageDraw.Draw(canvas),
        (int(s * 0.05), int(s * 0.025), int(s * 0.95), int(s * 0.145)),
        color=WHITE,
        sub_color=cv.tint(job.accent, 0.7),
        size=50,
    )


def lifestyle_infographic(job: Job) -> Rendered:
    s = job.size
    given = _backdrop(job)
    if given:
        canvas, box = given[0], (0, 0, s, s)
    else:
        scene = scene_for(job.request, s)
        canvas = scene.image
        box = _stand(job, canvas, (int(s * 0.05), int(s * 0.26), int(s * 0.55), scene.surface_y), scene.light)
    _title_band(job, canvas)
    _cards(job, canvas, (int(s * 0.58), int(s * 0.2), int(s * 0.96), int(s * 0.96)), 4)
    return Rendered(cv.finish(canvas), box, True)


def _with_model(job: Job, canvas: Image.Image, centre_x: int, top: int, height: int) -> Box:
    f = fig.figure(centre_x, top, height, cv.tint(job.accent, 0.15), cv.rng(job.request, "figure"))
    draw = ImageDraw.Draw(canvas)
    fig.body(draw, f)
    hx, hy = f.hand
    edge = int(height * 0.3)
    img = cv.scaled(job.product, edge, edge)
    # The hand holds the product near the lower end of its near side.
    x, y = hx - int(img.width * 0.12), hy - int(img.height * 0.78)
    box = (x, y, x + img.width, y + img.height)
    cv.drop_shadow(canvas, img, box[:2], offset=(job.u(10), job.u(10)), blur=job.u(14), opacity=0.25)
    cv.paste(canvas, img, box[:2])
    fig.hand(ImageDraw.Draw(canvas), f)
    return box


def model_lifestyle(job: Job) -> Rendered:
    s = job.size
    given = _backdrop(job)
    if given:
        return Rendered(cv.finish(given[0]), (0, 0, s, s), False)
    scene = scene_for(job.request, s)
    canvas = scene.image
    box = _with_model(job, canvas, int(s * 0.42), int(s * 0.1), int(s * 0.88))
    return Rendered(cv.finish(canvas), box, False)


def model_studio(job: Job) -> Rendered:
    s = job.size
    given = _backdrop(job)
    if given:
        return Rendered(cv.finish(given[0]), (0, 0, s, s), False)
    canvas = cv.vertical_gradient(s, s, (248, 248, 250), (224, 226, 230))
    cv.glow(canvas, (s // 2, int(s * 0.45)), int(s * 0.5), (255, 255, 255), 0.9)
    cv.contact_shadow(canvas, (int(s * 0.3), 0, int(s * 0.62), int(s * 0.965)), opacity=0.35)
    box = _with_model(job, canvas, int(s * 0.44), int(s * 0.06), int(s * 0.92))
    return Rendered(cv.finish(canvas), box, False)


def model_infographic(job: Job) -> Rendered:
    s = job.size
    given = _backdrop(job)
    if given:
        canvas, box = given[0], (0, 0, s, s)
    else:
        scene = scene_for(job.request, s)
        canvas = scene.image
        box = _with_model(job, canvas, int(s * 0.19), int(s * 0.2), int(s * 0.78))
    _title_band(job, canvas)
    _cards(job, canvas, (int(s * 0.6), int(s * 0.2), int(s * 0.96), int(s * 0.96)), 4)
    return Rendered(cv.finish(canvas), box, True)
