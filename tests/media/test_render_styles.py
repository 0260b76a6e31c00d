"""Every style renders for real: decodes after encoding, has the requested size, is RGB, and its compliance
report says what the pixels are."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from domain.errors import InvalidInput
from domain.listing.pricing import STYLES
from domain.media.compliance import check
from domain.media.render import RENDERERS, ProductFacts, Rendered, RenderRequest, encode, render

FACTS = ProductFacts(
    title="HydraPure Insulated Steel Water Bottle 750 ml",
    brand="HydraPure",
    category="Kitchen & Dining",
    description="Keeps drinks cold for 24 hours and hot for 12. Leak-proof lid.",
    features=("Keeps cold 24 hours", "Leak-proof lid", "BPA-free stainless steel", "Lightweight for travel"),
    specs=(("Capacity", "750 ml"), ("In the box", "Bottle, spare lid, brush")),
    ingredients=("18/8 stainless steel", "Silicone seal"),
    dimensions=(("Height", "27 cm"), ("Diameter", "7.5 cm")),
    price="$24.99",
)


def product_photo(width: int = 600, height: int = 760, seed: int = 1) -> Image.Image:
    """A photo-like source: a teal bottle with a cream label on a noisy, slightly graded light-grey background."""
    rng = np.random.default_rng(seed)
    bg = np.full((height, width, 3), 224.0) + rng.normal(0, 4, (height, width, 3))
    bg += np.linspace(-6, 6, height)[:, None, None]
    image = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((200, 230, 400, 680), radius=50, fill=(30, 120, 150))
    draw.rectangle((260, 130, 340, 240), fill=(40, 40, 48))
    draw.rectangle((220, 380, 380, 540), fill=(240, 236, 226))
    return image


def request(style: str, size: int = 1000, platform: str = "general", **kw) -> RenderRequest:
    return RenderRequest(style=style, size=size, platform=platform, source=product_photo(), facts=FACTS, **kw)


def decode(rendered: Rendered) -> Image.Image:
    image = Image.open(io.BytesIO(encode(rendered.image)))
    image.load()
    return image


def test_every_priced_style_has_a_renderer():
    assert set(RENDERERS) == set(STYLES)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_renders_and_reports(style):
    rendered = render(request(style, size=1200, platform="shopify"))
    image = decode(rendered)
    assert image.size == (1200, 1200)
    assert image.mode == "RGB"
    assert np.asarray(image).std() > 10  # a picture, not a blank canvas
    x0, y0, x1, y1 = rendered.subject_box
    assert 0 <= x0 < x1 <= 1200 and 0 <= y0 < y1 <= 1200
    report = check(image, platform="shopify", style=style, has_text=rendered.has_text)
    assert report.passed, report.warnings()
    assert {c.rule for c in report.checks} == {"color_mode", "min_size", "max_size", "aspect_ratio", "file_format"}
    # Amazon at 1000 px: the size rule fails and says so; the other rules still pass.
    small = check(image.resize((1000, 1000)), platform="amazon", style=style, has_text=rendered.has_text)
    assert "min_size" in small.failed()
    assert any("at least 2000 px" in w for w in small.warnings())


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_at_2000_for_amazon(style):
    rendered = render(request(style, size=2000, platform="amazon"))
    assert rendered.image.size == (2000, 2000)
    report = check(rendered.image, platform="amazon", style=style, has_text=rendered.has_text)
    if style == "CLEAN_WHITE_BG":
        assert report.passed, report.warnings()
        assert {"white_background", "product_fill", "no_text"} <= {c.rule for c in report.checks}
    else:
        assert report.passed, report.warnings()  # secondary images: no main-image rules
        assert "white_background" not in {c.rule for c in report.checks}


def test_clean_white_bg_is_an_amazon_main_image():
    rendered = render(request("CLEAN_WHITE_BG", size=2000, platform="amazon"))
    a = np.asarray(rendered.image)
    for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)):
        assert tuple(a[y, x]) == (255, 255, 255)
    assert (a[0] == 255).all() and (a[-1] == 255).all() and (a[:, 0] == 255).all() and (a[:, -1] == 255).all()
    ink = np.any(a < 255, axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    assert max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) / 2000 >= 0.85
    # centred: equal margins within a few pixels on the longer side
    assert abs(rows[0] - (1999 - rows[-1])) <= 4
    assert rendered.has_text is False
    report = check(rendered.image, platform="amazon", style="CLEAN_WHITE_BG", has_text=rendered.has_text)
    assert report.passed and report.warnings() == []


def test_jpeg_and_webp_encode_and_unknown_format_is_refused():
    rendered = render(request("SHADOW_REFLECTION"))
    for fmt in ("JPEG", "WEBP"):
        assert Image.open(io.BytesIO(encode(rendered.image, fmt))).format == fmt
    with pytest.raises(ValueError, match="Unsupported image format"):
        encode(rendered.image, "BMP")


def test_unknown_style_and_bad_size_are_refused():
    with pytest.raises(InvalidInput) as unknown:
        render(request("NOT_A_STYLE"))
    assert unknown.value.errors == {"style": ["Unknown image style 'NOT_A_STYLE'."]}
    with pytest.raises(InvalidInput):
        render(request("CLEAN_WHITE_BG", size=50))


def test_rendering_is_repeatable():
    a = render(request("SEASONAL_VARIANT", season="christmas")).image
    b = render(request("SEASONAL_VARIANT", season="christmas")).image
    assert a.tobytes() == b.tobytes()


def test_source_with_alpha_keeps_its_own_mask():
    source = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(source).ellipse((100, 50, 300, 350), fill=(200, 40, 40, 255))
    rendered = render(RenderRequest("CLEAN_WHITE_BG", 1000, "general", source, FACTS))
    a = np.asarray(rendered.image)
    assert tuple(a[500, 500]) == (200, 40, 40)
    assert tuple(a[20, 20]) == (255, 255, 255)


@pytest.mark.parametrize(
    "source",
    [
        product_photo(width=1600, height=400),  # wide
        product_photo(width=500, height=900),  # tall
        product_photo(width=600, height=760).resize((120, 152)),  # tiny: scaled up
        product_photo().convert("P", palette=Image.Palette.ADAPTIVE),  # palette image
        product_photo().convert("L"),  # greyscale
        product_photo(width=3000, height=3400),  # larger than the canvas: reduced before the cut-out
    ],
)
def test_sources_of_any_shape_and_mode(source):
    rendered = render(RenderRequest("CLEAN_WHITE_BG", 1000, "general", source, FACTS))
    assert rendered.image.size == (1000, 1000) and rendered.image.mode == "RGB"
    x0, y0, x1, y1 = rendered.subject_box
    assert max(x1 - x0, y1 - y0) == 900  # 90% of the frame along the product's longer side


def test_exif_rotation_is_applied():
    tall = product_photo(width=500, height=900)
    rotated = tall.rotate(90, expand=True)  # stored sideways, as a phone does
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    buffer = io.BytesIO()
    rotated.save(buffer, "JPEG", exif=exif)
    source = Image.open(io.BytesIO(buffer.getvalue()))
    x0, y0, x1, y1 = render(RenderRequest("CLEAN_WHITE_BG", 1000, "general", source, FACTS)).subject_box
    assert y1 - y0 > x1 - x0  # upright: taller than wide


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_with_only_a_title(style):
    rendered = render(RenderRequest(style, 1000, "etsy", product_photo(), ProductFacts(title="Mug")))
    assert rendered.image.size == (1000, 1000)
    assert check(rendered.image, platform="etsy", style=style, has_text=rendered.has_text).passed
