"""Compliance is measured from the pixels: a bad main image fails the right rules, with warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from domain.errors import InvalidInput
from domain.media.compliance import PLATFORM_RULES, check, rules_table
from domain.media.render.text import font

DOCS = Path(__file__).resolve().parents[2] / "docs" / "listing-images.md"


def main_image(background=(255, 255, 255), box=(100, 100, 1900, 1900), size=2000, text=False) -> Image.Image:
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse(box, fill=(30, 110, 160))
    if text:
        draw.text((700, 1300), "50% OFF", font=font(90, True), fill=(200, 0, 0))
    return image


def test_a_good_main_image_passes():
    report = check(main_image(), platform="amazon", style="CLEAN_WHITE_BG", has_text=False)
    assert report.passed
    assert [c.rule for c in report.checks] == [
        "color_mode",
        "min_size",
        "max_size",
        "aspect_ratio",
        "file_format",
        "white_background",
        "product_fill",
        "no_text",
    ]


def test_a_bad_main_image_fails_the_right_amazon_rules():
    bad = main_image(background=(236, 236, 236), box=(800, 800, 1200, 1200), text=True)
    report = check(bad, platform="amazon", style="CLEAN_WHITE_BG", has_text=True)
    assert not report.passed
    assert set(report.failed()) == {"white_background", "product_fill", "no_text"}
    warnings = report.warnings()
    assert len(warnings) == 3
    assert any("not pure white (255, 255, 255)" in w and "darkest channels (236, 236, 236)" in w for w in warnings)
    fill = next(w for w in warnings if "product_fill" in w)
    found = re.search(r"fills (\d+)% of the frame; at least 85%", fill)
    assert found
    share = int(found.group(1))
    assert 20 <= share < 40  # the product and the text, not the grey background
    body = report.to_json()
    assert body["passed"] is False and body["platform"] == "amazon" and body["style"] == "CLEAN_WHITE_BG"
    assert {c["rule"] for c in body["checks"] if not c["passed"]} == {"white_background", "product_fill", "no_text"}


def test_each_failure_alone():
    grey = check(main_image(background=(254, 254, 254)), platform="amazon", style="CLEAN_WHITE_BG", has_text=False)
    assert grey.failed() == ["white_background"]  # off by one level is not pure white
    small = check(main_image(box=(400, 400, 1500, 1500)), platform="amazon", style="CLEAN_WHITE_BG", has_text=False)
    assert small.failed() == ["product_fill"]
    text = check(main_image(), platform="amazon", style="CLEAN_WHITE_BG", has_text=True)
    assert text.failed() == ["no_text"]
    low = check(
        main_image(size=1500, box=(75, 75, 1425, 1425)), platform="amazon", style="CLEAN_WHITE_BG", has_text=False
    )
    assert low.failed() == ["min_size"]
    rgba = check(main_image().convert("RGBA"), platform="amazon", style="CLEAN_WHITE_BG", has_text=False)
    assert rgba.failed() == ["color_mode"]
    bmp = check(main_image(), platform="amazon", style="CLEAN_WHITE_BG", has_text=False, fmt="BMP")
    assert bmp.failed() == ["file_format"]
    wide = check(
        Image.new("RGB", (2400, 2000), (255, 255, 255)), platform="amazon", style="DIMENSION_SPEC", has_text=True
    )
    assert wide.failed() == ["aspect_ratio"]


def test_flipkart_accepts_near_white_and_amazon_does_not():
    near = main_image(background=(250, 250, 250))
    assert check(near, platform="flipkart", style="CLEAN_WHITE_BG", has_text=False).passed
    assert check(near, platform="amazon", style="CLEAN_WHITE_BG", has_text=False).failed() == ["white_background"]
    assert check(
        main_image(background=(230, 230, 230)), platform="flipkart", style="CLEAN_WHITE_BG", has_text=False
    ).failed() == ["white_background"]


@pytest.mark.parametrize("platform", ["shopify", "etsy", "general", "woocommerce", "bigcommerce"])
def test_platforms_without_main_image_rules(platform):
    grey_text = main_image(background=(120, 120, 120), box=(900, 900, 1000, 1000), size=1200, text=True)
    report = check(grey_text, platform=platform, style="CLEAN_WHITE_BG", has_text=True)
    assert report.passed
    assert "white_background" not in {c.rule for c in report.checks}
    tiny = check(Image.new("RGB", (500, 500)), platform=platform, style="CLEAN_WHITE_BG", has_text=False)
    assert tiny.failed() == ["min_size"]


def test_secondary_images_skip_main_rules_and_unknown_platform_is_refused():
    report = check(
        main_image(background=(10, 10, 10), text=True), platform="amazon", style="INFOGRAPHIC_FEATURE", has_text=True
    )
    assert report.passed
    with pytest.raises(InvalidInput):
        check(main_image(), platform="ebay", style="CLEAN_WHITE_BG", has_text=False)


def test_every_image_platform_has_rules_and_the_docs_show_the_table():
    from domain.listing.pricing import IMAGE_PLATFORMS

    assert set(PLATFORM_RULES) == set(IMAGE_PLATFORMS)
    assert rules_table() in DOCS.read_text()
