"""What the listing studio's operations cost, as the listing document prices them: one place for the style,
size and platform tables that the surface, the jobs and the renderer read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    key: str
    credits: int
    best_for: str
    # Styles whose scene is photographic: with an image model configured, the model draws the scene from the
    # source image and Pillow lays it out; offline, Pillow draws an illustrative scene.
    ai_scene: bool = False


STYLES: dict[str, Style] = {
    s.key: s
    for s in (
        Style("CLEAN_WHITE_BG", 4, "Amazon/Flipkart hero images, compliance"),
        Style("SHADOW_REFLECTION", 4, "Studio shadow reflection, premium product look"),
        Style("DIMENSION_SPEC", 4, "Size charts, reduces returns"),
        Style("INFOGRAPHIC_FEATURE", 5, "Feature callout overlays"),
        Style("COMPARISON_CHART", 5, "Amazon A+ side-by-side"),
        Style("FEATURE_CALLOUT_GRID", 5, "6-tile icon + description grid, Amazon secondary"),
        Style("INGREDIENT_SPEC_LIST", 5, "Ingredient / spec list panel, transparency plays"),
        Style("BEFORE_AFTER", 5, "Before/after split — problem to solution frame"),
        Style("SEASONAL_VARIANT", 5, "Diwali, Christmas, seasonal campaigns", ai_scene=True),
        Style("LIFESTYLE_CONTEXTUAL", 6, "Product in realistic environment", ai_scene=True),
        Style("PREMIUM_BRAND_STYLE", 6, "Dark studio, D2C editorial look"),
        Style("MODEL_LIFESTYLE", 7, "Model + lifestyle scene", ai_scene=True),
        Style("MODEL_STUDIO", 7, "Model holding product, clean bg", ai_scene=True),
        Style("LIFESTYLE_INFOGRAPHIC", 7, "Lifestyle scene + callout overlay", ai_scene=True),
        Style("PACKAGING_DISPLAY", 8, "Unboxing, full kit in frame"),
        Style("MODEL_LIFESTYLE_INFOGRAPHIC", 8, "Model + scene + callouts", ai_scene=True),
    )
}

# Output edge lengths (square images) and what each adds per image.
SIZE_SURCHARGE: dict[int, int] = {1000: 0, 1200: 1, 1500: 2, 2000: 3}
DEFAULT_SIZE = 1000

IMAGE_PLATFORMS = ("general", "amazon", "flipkart", "shopify", "etsy", "woocommerce", "bigcommerce")
# Platforms whose images are always made at this size, whatever the request asked for.
FORCED_SIZE: dict[str, int] = {"amazon": 2000}

# Listing copy, per platform.
COPY_CREDITS: dict[str, int] = {
    "amazon": 10,
    "flipkart": 9,
    "shopify": 8,
    "woocommerce": 8,
    "bigcommerce": 8,
    "etsy": 8,
    "general": 6,
}
COPY_COMPONENTS = ("title", "bullets", "description", "keywords")
COPY_TONES = ("professional", "casual", "luxury")
AI_MODELS = ("auto", "gemini", "openai")


def image_size(platform: str, requested: int | None) -> int:
    """The edge length an image is made at: the platform's forced size, else the requested one (default 1000)."""
    return FORCED_SIZE.get(platform) or requested or DEFAULT_SIZE


def image_cost(style: str, platform: str, requested_size: int | None) -> int:
    """Credits for one image: the style's price plus the surcharge of the size it is made at."""
    return STYLES[style].credits + SIZE_SURCHARGE[image_size(platform, requested_size)]


def copy_cost(platform: str) -> int:
    return COPY_CREDITS[platform]
