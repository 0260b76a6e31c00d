"""Post images offline: the requested size, and each parameter family visibly changes the picture (measured on
its pixels)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.marketing.helpers import (
    bottle_png,
    difference,
    first_image,
    image_of,
    make_product,
    mean_colour,
    run_posts,
    saturation,
)

DIFFERENT = 8.0  # mean absolute difference per channel (0-255): far above encoding noise


def red_pixels(image: Image.Image) -> np.ndarray:
    a = np.asarray(image, dtype=np.int16)
    return (a[..., 0] > 150) & (a[..., 1] < 90) & (a[..., 2] < 90)


def cta_colour(image: Image.Image) -> tuple[float, float, float]:
    """The call-to-action button's fill, left of its label (medium boldness)."""
    w, h = image.size
    bw, bh = int(w * 0.48), int(h * 0.045 * 1.2)
    bx, by = (w - bw) // 2, h - bh - h // 22
    return mean_colour(image, (bx + bh // 2, by + bh // 3, bx + bh // 2 + 16, by + bh * 2 // 3))


@pytest.fixture
async def product(services, workspace):
    return await make_product(services, workspace)


async def test_posts_are_square_and_stories_are_tall(client, services, workspace, product):
    result = await run_posts(client, services, workspace, product, generateImages=True, postsCount=3)
    images = [await image_of(services, workspace, p["imageMediaId"]) for p in result["posts"]]
    assert [i.size for i in images] == [(1080, 1080)] * 3
    assert all(p["width"] == 1080 and p["height"] == 1080 and p["imageType"] == "post" for p in result["posts"])
    assert min(difference(images[0], images[1]), difference(images[1], images[2])) > 0.5  # own headline each
    story = await first_image(client, services, workspace, product, imageType="story")
    assert story.size == (1080, 1920)


async def test_art_style_changes_the_picture(client, services, workspace, product):
    images = {
        s: await first_image(client, services, workspace, product, artStyle=s)
        for s in ("hero", "negative_space", "depth", "lifestyle")
    }
    names = list(images)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert difference(images[a], images[b]) > DIFFERENT / 2, (a, b)
    # Negative space: the product takes a fraction of the hero's room.
    assert red_pixels(images["negative_space"]).sum() * 3 < red_pixels(images["hero"]).sum()


async def test_mood_sets_the_palette(client, services, workspace, product):
    # The background's top corners show the mood's palette.
    corner = (0, 0, 60, 60)
    colours = {
        m: mean_colour(await first_image(client, services, workspace, product, mood=m, background="gradient"), corner)
        for m in ("luxury", "soft_feminine", "modern", "medical_clean")
    }
    assert sum(colours["luxury"]) / 3 < 70  # dark
    assert sum(colours["medical_clean"]) / 3 > 235  # clinical white
    r, g, b = colours["soft_feminine"]
    assert r > b + 10 and r > g + 15  # blush
    r, g, b = colours["modern"]
    assert b > r + 8  # cool


async def test_background_changes_the_picture_and_auto_follows_the_mood(client, services, workspace, product):
    images = {
        b: await first_image(client, services, workspace, product, background=b, mood="modern")
        for b in ("gradient", "surface_backdrop", "pastel", "auto")
    }
    assert difference(images["gradient"], images["surface_backdrop"]) > DIFFERENT / 2
    assert difference(images["gradient"], images["pastel"]) > DIFFERENT / 2
    assert difference(images["surface_backdrop"], images["pastel"]) > DIFFERENT / 2
    assert difference(images["auto"], images["surface_backdrop"]) < 0.5  # modern's auto is the surface
    # The surface: a horizon, below which the picture is darker than above.
    surface = images["surface_backdrop"]
    assert sum(mean_colour(surface, (0, 760, 80, 900))) < sum(mean_colour(surface, (0, 300, 80, 500))) - 60


async def test_composition_changes_where_and_how_often_the_product_is(client, services, workspace, product):
    single = red_pixels(await first_image(client, services, workspace, product, productComposition="single_hero"))
    grouped = red_pixels(await first_image(client, services, workspace, product, productComposition="grouped"))
    side = red_pixels(await first_image(client, services, workspace, product, productComposition="side_layout"))
    assert grouped.sum() > single.sum() * 1.2  # two more bottles beside the main one

    def centre_x(mask: np.ndarray) -> float:
        return float(np.nonzero(mask)[1].mean()) / float(mask.shape[1])

    assert 0.4 < centre_x(single) < 0.6
    assert centre_x(side) > 0.6  # the first post puts the product right, the text left


async def test_boldness_changes_saturation_and_type(client, services, workspace, product):
    low = await first_image(client, services, workspace, product, visualBoldness="low")
    medium = await first_image(client, services, workspace, product, visualBoldness="medium")
    high = await first_image(client, services, workspace, product, visualBoldness="high")
    assert saturation(low) < saturation(medium) < saturation(high)
    assert difference(low, high) > DIFFERENT


async def test_use_product_images_offline_takes_the_products_colours(client, services, workspace):
    green = await make_product(services, workspace, title="Green Tea Toner", photo=bottle_png((30, 150, 60)))
    plain = await first_image(client, services, workspace, green, mood="medical_clean")
    result = await run_posts(
        client,
        services,
        workspace,
        green,
        generateImages=True,
        postsCount=1,
        useProductImages=True,
        mood="medical_clean",
    )
    analysed = await image_of(services, workspace, result["posts"][0]["imageMediaId"])
    look = result["look"]
    assert look["source"] == "pixels" and "green" in look["colours"]
    left, top, right, bottom = look["subjectBoxes"][0]
    assert 120 <= left < right <= 280 and 30 <= top < bottom <= 360  # the bottle, not the backdrop
    r, g, b = cta_colour(plain)
    assert b > r + 60  # medical_clean's teal
    r, g, b = cta_colour(analysed)
    assert g > b + 40 and g > r + 40  # the product's green
    assert "green" in result["posts"][0]["caption"]  # the words say what the pixels showed


async def test_image_prompt_offline_overrides_the_structured_inputs(client, services, workspace, product):
    structured = await first_image(client, services, workspace, product, mood="medical_clean", background="gradient")
    result = await run_posts(
        client,
        services,
        workspace,
        product,
        generateImages=True,
        postsCount=1,
        mood="medical_clean",
        background="gradient",
        imagePrompt="A luxurious, bold look in gold",
    )
    prompted = await image_of(services, workspace, result["posts"][0]["imageMediaId"])
    assert set(result["promptApplied"]) == {"mood=luxury", "visual_boldness=high", "accent=(200, 160, 50)"}
    assert sum(mean_colour(prompted, (0, 0, 60, 60))) / 3 < 70  # luxury's dark ground
    assert sum(mean_colour(structured, (0, 0, 60, 60))) / 3 > 235
