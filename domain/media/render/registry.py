"""Style key → renderer, and ``render`` itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PIL import Image, ImageOps

from domain.errors import InvalidInput
from domain.media.render import canvas as cv
from domain.media.render import infographics, stories, studio
from domain.media.render.cutout import cutout
from domain.media.render.layout import Job
from domain.media.render.lifestyle import (
    contextual,
    lifestyle_infographic,
    model_infographic,
    model_lifestyle,
    model_studio,
)
from domain.media.render.seasonal import seasonal
from domain.media.render.types import Rendered, RenderRequest

MIN_SIZE, MAX_SIZE = 256, 4096
UNSEPARATED = (
    "The product could not be separated from its photo's background (a busy or low-contrast backdrop): the "
    "whole photo is used as the product. A photo on a plain backdrop, or a PNG with transparency, gives a cut-out."
)

RENDERERS: dict[str, Callable[[Job], Rendered]] = {
    "CLEAN_WHITE_BG": studio.clean_white,
    "SHADOW_REFLECTION": studio.shadow_reflection,
    "DIMENSION_SPEC": studio.dimension_spec,
    "INFOGRAPHIC_FEATURE": infographics.feature_callouts,
    "COMPARISON_CHART": infographics.comparison,
    "FEATURE_CALLOUT_GRID": infographics.grid,
    "INGREDIENT_SPEC_LIST": infographics.ingredients,
    "BEFORE_AFTER": stories.before_after,
    "SEASONAL_VARIANT": seasonal,
    "LIFESTYLE_CONTEXTUAL": contextual,
    "PREMIUM_BRAND_STYLE": studio.premium,
    "MODEL_LIFESTYLE": model_lifestyle,
    "MODEL_STUDIO": model_studio,
    "LIFESTYLE_INFOGRAPHIC": lifestyle_infographic,
    "PACKAGING_DISPLAY": stories.packaging,
    "MODEL_LIFESTYLE_INFOGRAPHIC": model_infographic,
}


def render(request: RenderRequest) -> Rendered:
    """Draw ``request.style`` at ``request.size`` square. CPU-bound (tens to hundreds of milliseconds)."""
    if request.style not in RENDERERS:
        raise InvalidInput.field("style", f"Unknown image style {request.style!r}.", rule="in")
    if not MIN_SIZE <= request.size <= MAX_SIZE:
        raise InvalidInput.field("size", f"Image size must be {MIN_SIZE} to {MAX_SIZE} pixels.", rule="between")
    source = ImageOps.exif_transpose(request.source)  # phone photos carry their rotation in EXIF
    if max(source.size) > request.size:
        # The product is never drawn larger than the canvas: cutting out a bigger photo is wasted work.
        source = source.copy()
        source.thumbnail((request.size, request.size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    product = cv.trim(cutout(source))
    job = Job(request=request, product=product, accent=cv.accent_from(product))
    rendered = RENDERERS[request.style](job)
    if product.getchannel("A").getextrema() == (255, 255) and request.scene is None:
        return replace(rendered, notes=(*rendered.notes, UNSEPARATED))
    return rendered
