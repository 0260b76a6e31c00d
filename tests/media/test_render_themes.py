"""Seasons change the palette, contexts choose the scene, and an image model's scene is used as the backdrop."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from domain.listing.pricing import STYLES
from domain.media.render import RenderRequest, render
from domain.media.render.scenes import scene_for
from domain.media.render.seasonal import THEMES, theme_for
from tests.media.test_render_styles import FACTS, product_photo, request

SEASONS = ("christmas", "diwali", "halloween", "valentines", "summer", "winter", "spring", "autumn", "eid", "new-year")


def mean_colour(image: Image.Image):
    return np.asarray(image, dtype=np.float64).reshape(-1, 3).mean(axis=0)


def test_seasons_change_the_palette():
    means = {s: mean_colour(render(request("SEASONAL_VARIANT", season=s)).image) for s in SEASONS}
    for i, a in enumerate(SEASONS):
        for b in SEASONS[i + 1 :]:
            assert np.abs(means[a] - means[b]).max() > 8, (a, b, means[a], means[b])
    # christmas is red-dominant, winter blue-dominant, spring green-dominant
    assert means["christmas"][0] > means["christmas"][2] + 30
    assert means["winter"][2] > means["winter"][0] + 20
    assert means["spring"][1] > means["spring"][2]


@pytest.mark.parametrize(
    ("season", "key"),
    [
        ("Christmas", "christmas"),
        ("XMAS", "christmas"),
        ("Deepavali", "diwali"),
        ("fall", "autumn"),
        ("New Year", "new-year"),
        ("new-year", "new-year"),
        ("Valentine's Day", "valentines"),
        ("Eid al-Fitr", "eid"),
        ("Arbor day", "festive"),
        (None, "festive"),
    ],
)
def test_season_names(season, key):
    assert theme_for(season).key == key


def test_unknown_season_gets_the_neutral_theme_and_its_greeting_is_replaceable():
    neutral = render(request("SEASONAL_VARIANT", season="lunar-landing-day")).image
    assert (
        np.abs(mean_colour(neutral) - mean_colour(render(request("SEASONAL_VARIANT", season="christmas")).image)).max()
        > 20
    )
    assert THEMES["festive"].greeting == "Celebrate the season"
    custom = render(request("SEASONAL_VARIANT", season="christmas", custom_prompt="Gift it this year")).image
    plain = render(request("SEASONAL_VARIANT", season="christmas")).image
    top = (0, 0, 1000, 150)  # the greeting band differs, the rest is the same theme
    assert custom.crop(top).tobytes() != plain.crop(top).tobytes()


@pytest.mark.parametrize(
    ("context", "scene"),
    [
        ("kitchen counter", "kitchen"),
        ("Bathroom shelf", "bathroom"),
        ("home office desk", "desk"),
        ("outdoor picnic", "outdoor"),
        ("living room coffee table", "living room"),
        ("bedroom nightstand", "bedroom"),
        ("somewhere nice", "room"),
    ],
)
def test_context_chooses_the_scene(context, scene):
    facts = replace(FACTS, category=None)
    req = RenderRequest("LIFESTYLE_CONTEXTUAL", 1000, "general", product_photo(), facts, context=context)
    assert scene_for(req, 1000).name == scene


def test_prompt_then_category_choose_the_scene_without_a_context():
    req = RenderRequest("LIFESTYLE_CONTEXTUAL", 1000, "general", product_photo(), FACTS)
    assert scene_for(req, 1000).name == "kitchen"  # "Kitchen & Dining"
    req = replace(req, custom_prompt="on a sunny beach")
    assert scene_for(req, 1000).name == "outdoor"


def test_scenes_look_different():
    kitchen = render(request("LIFESTYLE_CONTEXTUAL", context="kitchen")).image
    outdoor = render(request("LIFESTYLE_CONTEXTUAL", context="outdoor garden")).image
    # the outdoor sky is blue at the top; the kitchen wall is a warm neutral
    sky, wall = mean_colour(outdoor.crop((0, 0, 1000, 200))), mean_colour(kitchen.crop((400, 0, 600, 200)))
    assert sky[2] > sky[0] + 30
    assert abs(wall[2] - wall[0]) < 20


@pytest.mark.parametrize("style", sorted(k for k, s in STYLES.items() if s.ai_scene))
def test_model_scene_is_the_backdrop(style):
    scene = Image.new("RGB", (1600, 1200), (120, 40, 160))
    rendered = render(request(style, scene=scene, season="diwali"))
    a = np.asarray(rendered.image)
    assert rendered.image.size == (1000, 1000)
    assert tuple(a[980, 20]) == (120, 40, 160)  # bottom-left corner: the scene, no overlay
    assert rendered.subject_box == (0, 0, 1000, 1000)
    overlaid = style in ("SEASONAL_VARIANT", "LIFESTYLE_INFOGRAPHIC", "MODEL_LIFESTYLE_INFOGRAPHIC")
    assert rendered.has_text is overlaid
    assert (np.abs(a.astype(int) - (120, 40, 160)).sum(axis=2) > 30).mean() > (0.05 if overlaid else -1)
    if not overlaid:
        assert (a == (120, 40, 160)).all()
