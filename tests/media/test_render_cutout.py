"""Background removal on photo-like synthetic sources, measured as IoU against the drawn object."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from domain.media.render import cutout
from domain.media.render.cutout import flood_from_border


def photo(
    fg: tuple[int, int, int], bg: float = 222.0, noise: float = 5.0, seed: int = 3
) -> tuple[Image.Image, np.ndarray]:
    """A coloured object (a body and a thin handle, with a light label inside) on a noisy light-grey background
    with a soft vertical gradient; also the object's true mask."""
    rng = np.random.default_rng(seed)
    h, w = 700, 600
    pixels = np.full((h, w, 3), bg) + rng.normal(0, noise, (h, w, 3)) + np.linspace(-8, 8, h)[:, None, None]
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    truth = Image.new("L", (w, h), 0)
    for target, colour in ((image, fg), (truth, 255)):
        d = ImageDraw.Draw(target)
        d.ellipse((150, 150, 430, 600), fill=colour)
        d.rectangle((410, 300, 500, 330), fill=colour)
        d.rectangle((470, 300, 500, 460), fill=colour)
    # A label the colour of the background inside the object: it must stay (it is not connected to the border).
    ImageDraw.Draw(image).rectangle((230, 320, 350, 420), fill=(int(bg), int(bg), int(bg)))
    return image, np.asarray(truth) > 127


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


@pytest.mark.parametrize("colour", [(200, 40, 40), (30, 110, 160), (40, 150, 70), (70, 70, 80), (236, 200, 60)])
def test_cutout_covers_the_object_and_not_the_background(colour):
    image, truth = photo(colour)
    alpha = np.asarray(cutout(image).getchannel("A")) > 127
    assert iou(alpha, truth) > 0.95
    assert alpha[335:405, 245:335].all()  # the background-coloured label inside stays opaque
    assert not alpha[:40].any() and not alpha[:, :40].any()  # background is clear
    assert alpha[310:320, 420:470].any()  # the thin handle survives the cleaning


def test_noisier_background_still_separates():
    image, truth = photo((30, 110, 160), noise=12.0)
    alpha = np.asarray(cutout(image).getchannel("A")) > 127
    assert iou(alpha, truth) > 0.93


def test_edge_is_feathered():
    image, _ = photo((200, 40, 40))
    alpha = np.asarray(cutout(image).getchannel("A"))
    row = alpha[375, 100:200]  # across the ellipse's left edge
    assert ((row > 10) & (row < 245)).sum() >= 1


def test_existing_alpha_is_used():
    source = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(source).rectangle((50, 50, 150, 150), fill=(10, 200, 10, 255))
    out = cutout(source)
    assert np.array_equal(np.asarray(out.getchannel("A")), np.asarray(source.getchannel("A")))


def test_unseparable_photo_is_kept_whole():
    rng = np.random.default_rng(0)
    busy = Image.fromarray(rng.integers(0, 255, (300, 300, 3), dtype=np.uint8))
    assert np.asarray(cutout(busy).getchannel("A")).min() == 255


def test_flood_fill_follows_a_winding_corridor():
    mask = np.zeros((9, 9), dtype=bool)
    mask[0, :] = True
    mask[0:8, 8] = True
    mask[7, 2:9] = True
    mask[2:8, 2] = True
    mask[2, 2:6] = True  # a spiral reaching into the middle
    mask[4, 5] = True  # not connected to the corridor
    flooded = flood_from_border(mask)
    assert flooded[2, 5] and not flooded[4, 5]


def test_render_says_when_the_background_could_not_be_removed():
    from domain.media.render import RenderRequest, render
    from domain.media.render.registry import UNSEPARATED
    from tests.media.test_render_styles import FACTS

    rng = np.random.default_rng(0)
    busy = Image.fromarray(rng.integers(0, 255, (300, 300, 3), dtype=np.uint8))
    assert render(RenderRequest("CLEAN_WHITE_BG", 1000, "general", busy, FACTS)).notes == (UNSEPARATED,)
    plain, _ = photo((200, 40, 40))
    assert render(RenderRequest("CLEAN_WHITE_BG", 1000, "general", plain, FACTS)).notes == ()
