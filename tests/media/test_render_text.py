"""Text is wrapped and shrunk into its box and never leaves the canvas, whatever the title."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from domain.media.render import render
from domain.media.render.text import fit_text, font, wrap
from tests.media.test_render_styles import FACTS, request

LONG_TITLE = " ".join(["Ultra-premium professional-grade stainless steel vacuum insulated bottle"] * 12)
UNBREAKABLE = "X" * 400


@pytest.mark.parametrize("text", [LONG_TITLE, UNBREAKABLE, "Short"])
@pytest.mark.parametrize("box", [(50, 50, 450, 150), (-100, -100, 2000, 60), (380, 380, 520, 520)])
def test_fit_text_stays_inside_its_box_and_the_canvas(text, box):
    image = Image.new("RGB", (500, 500), (255, 255, 255))
    drawn = fit_text(ImageDraw.Draw(image), text, box, size=48, min_size=10, fill=(0, 0, 0), max_lines=3)
    bx0, by0, bx1, by1 = max(0, box[0]), max(0, box[1]), min(500, box[2]), min(500, box[3])
    ink = np.argwhere((np.asarray(image) < 128).any(axis=2))
    assert len(ink)
    ys, xs = ink[:, 0], ink[:, 1]
    assert xs.min() >= bx0 and xs.max() < bx1 and ys.min() >= by0 and ys.max() < by1
    assert bx0 <= drawn[0] and drawn[2] <= bx1 and by0 <= drawn[1] and drawn[3] <= by1


def test_long_text_is_cut_with_an_ellipsis_and_short_text_keeps_its_size():
    image = Image.new("RGB", (400, 200), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    long_box = fit_text(draw, LONG_TITLE, (0, 0, 400, 100), size=40, min_size=14, fill=(0, 0, 0), max_lines=2)
    assert long_box[3] - long_box[1] <= 100
    lines = wrap("Keeps cold 24 hours", font(40), 1000)
    assert lines == ["Keeps cold 24 hours"]


def test_words_are_not_split_while_shrinking_can_fit_them():
    image = Image.new("RGB", (300, 300), (255, 255, 255))
    # At 40 px "Dishwasher" is wider than the box: the text shrinks to one line instead of "Dishwashe / r".
    assert font(40).getlength("Dishwasher") > 150
    box = fit_text(ImageDraw.Draw(image), "Dishwasher", (0, 0, 150, 120), size=40, min_size=10, fill=(0, 0, 0))
    assert box[2] - box[0] <= 150
    assert box[3] - box[1] < 40


@pytest.mark.parametrize("style", ["DIMENSION_SPEC", "PREMIUM_BRAND_STYLE", "PACKAGING_DISPLAY", "COMPARISON_CHART"])
def test_very_long_titles_render(style):
    facts = replace(
        FACTS, title=LONG_TITLE + " " + UNBREAKABLE, brand="B" * 200, features=tuple(LONG_TITLE for _ in range(8))
    )
    rendered = render(replace(request(style), facts=facts))
    assert rendered.image.size == (1000, 1000)
