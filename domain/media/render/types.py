"""What a render is asked for and what it gives back (re-exported by ``domain.media.render``)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class ProductFacts:
    """The product data a layout may show. Everything but the title is optional: a layout leaves out what is
    not there rather than inventing it."""

    title: str
    brand: str | None = None
    category: str | None = None
    description: str | None = None
    features: tuple[str, ...] = ()
    specs: tuple[tuple[str, str], ...] = ()
    ingredients: tuple[str, ...] = ()
    dimensions: tuple[tuple[str, str], ...] = ()  # ("Height", "12 cm") ...
    price: str | None = None


@dataclass(frozen=True)
class RenderRequest:
    style: str
    size: int
    platform: str
    source: Image.Image
    facts: ProductFacts
    custom_prompt: str | None = None
    context: str | None = None
    season: str | None = None
    # An image model's scene for the ai_scene styles (drawn from the source image, so the product is in it);
    # None: Pillow draws an illustrative scene.
    scene: Image.Image | None = None


@dataclass(frozen=True)
class Rendered:
    image: Image.Image  # RGB, size x size
    subject_box: tuple[int, int, int, int]  # where the product (or the model's scene) is, in pixels
    has_text: bool
    # What the caller should pass on as warnings, e.g. that the background could not be removed.
    notes: tuple[str, ...] = ()
