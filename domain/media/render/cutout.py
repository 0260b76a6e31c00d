"""Background removal without a model: the product photo's background is estimated from its border and
flood-filled from the border within a colour tolerance (CIE Lab distance); the mask is then cleaned with a
morphological open and close and its edge feathered. A source that already has transparency keeps its own.

Limits (docs/listing-images.md): it needs a fairly plain background that differs from the product's edge;
a product touching the photo's border at the same colour as the background, or a busy background, gives a
poor mask. When the result is implausible (almost nothing, or almost everything, kept) the whole photo is used
as the product, unmasked, rather than a broken cut-out.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

WORK_EDGE = 512  # the mask is computed at this size and scaled back: enough for a feathered edge
MIN_TOLERANCE = 9.0  # ΔE (CIE76): below this two colours look the same to most people
BORDER = 0.03  # share of each side sampled as "the background"


_CHANNEL = np.arange(256, dtype=np.float32) / 255.0
LINEAR = np.where(_CHANNEL > 0.04045, ((_CHANNEL + 0.055) / 1.055) ** 2.4, _CHANNEL / 12.92).astype(np.float32)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0..255, uint8) to CIE Lab (D65)."""
    lin = LINEAR[rgb]  # the sRGB curve as a lookup table: pow() per pixel is most of the cost otherwise
    r, g, b = lin[..., 0], lin[..., 1], lin[..., 2]
    # The sRGB → XYZ matrix written out: a matmul would hand this to BLAS and its threads.
    xyz = np.stack(
        [
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
        ],
        axis=-1,
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def _runs_with_seed(mask: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Grow ``seed`` along each row through ``mask``: a run of mask pixels holding any seed becomes seed."""
    h, w = mask.shape
    m = np.zeros((h, w + 1), dtype=bool)
    m[:, :w] = mask
    s = np.zeros((h, w + 1), dtype=bool)
    s[:, :w] = seed
    flat, flat_seed = m.ravel(), s.ravel()
    starts = flat & ~np.concatenate(([False], flat[:-1]))
    run = np.cumsum(starts) * flat
    seeded = np.bincount(run, weights=flat_seed, minlength=int(run.max()) + 1) > 0
    seeded[0] = False
    return seeded[run].reshape(h, w + 1)[:, :w]


def flood_from_border(mask: np.ndarray) -> np.ndarray:
    """The pixels of ``mask`` 4-connected to the image border (a flood fill from every border pixel), by
    alternating row and column run propagation until nothing changes: a few vectorised passes rather than
    a per-pixel loop."""
    seed = np.zeros_like(mask)
    seed[0, :], seed[-1, :], seed[:, 0], seed[:, -1] = mask[0, :], mask[-1, :], mask[:, 0], mask[:, -1]
    for _ in range(200):
        grown = _runs_with_seed(mask, seed)
        grown = _runs_with_seed(mask.T, grown.T).T
        if np.array_equal(grown, seed):
            break
        seed = grown
    return seed


def background_mask(rgb: np.ndarray) -> np.ndarray:
    """True where the pixel is background: close (in Lab) to the border colour and connected to the border."""
    lab = _lab(rgb)
    h, w = lab.shape[:2]
    band = max(2, int(min(h, w) * BORDER))
    ring = np.concatenate(
        [
            lab[:band].reshape(-1, 3),
            lab[-band:].reshape(-1, 3),
            lab[:, :band].reshape(-1, 3),
            lab[:, -band:].reshape(-1, 3),
        ]
    )
    colour = np.median(ring, axis=0)
    ring_dist = np.linalg.norm(ring - colour, axis=1)
    # The border's own spread (sensor noise, a gentle gradient) widens the tolerance; the median absolute
    # deviation ignores the part of the product that may touch the border.
    spread = float(np.median(ring_dist)) + 3.0 * float(np.median(np.abs(ring_dist - np.median(ring_dist))))
    tolerance = max(MIN_TOLERANCE, 2.5 * spread)
    close = np.linalg.norm(lab - colour, axis=2) <= tolerance
    return flood_from_border(close)


def dilate(mask: Image.Image, radius: int) -> Image.Image:
    """Binary dilation by a (2r+1) square: a box blur is non-zero wherever the window holds a set pixel. Far
    faster than ``MaxFilter`` (a rank filter) for the same result on a 0/255 mask (windows under 510 pixels)."""
    return mask.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v > 0 else 0)


def erode(mask: Image.Image, radius: int) -> Image.Image:
    """Binary erosion by a (2r+1) square: the box blur stays 255 only where the whole window is set."""
    return mask.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v >= 255 else 0)


def cutout(source: Image.Image) -> Image.Image:
    """The product as RGBA with its background made transparent (see the module docstring)."""
    image = source.convert("RGBA") if source.mode != "RGBA" else source.copy()
    if "A" in source.getbands() or "transparency" in source.info:
        lo, hi = image.getchannel("A").getextrema()
        assert isinstance(lo, int) and isinstance(hi, int)  # one band: (min, max)
        if lo < 250 and hi > 0:
            return image
    rgb = image.convert("RGB")
    ratio = min(1.0, WORK_EDGE / max(rgb.size))
    small = rgb.resize(
        (max(1, round(rgb.width * ratio)), max(1, round(rgb.height * ratio))),
        Image.Resampling.BILINEAR,
        reducing_gap=2.0,
    )
    # A light blur keeps sensor noise from punching holes in the background.
    array = np.asarray(small.filter(ImageFilter.GaussianBlur(1.2)))
    foreground = ~background_mask(array)
    share = float(foreground.mean())
    if share < 0.01 or share > 0.97:
        image.putalpha(255)
        return image
    mask = Image.fromarray((foreground * 255).astype(np.uint8), "L")
    r = max(1, round(min(small.size) / 160))
    mask = dilate(erode(mask, r), r)  # open: specks go
    mask = erode(dilate(mask, r), r)  # close: pinholes go
    # The feather: a slight blur at the working size, then bilinear scaling spreads it over the source's pixels.
    mask = mask.filter(ImageFilter.GaussianBlur(0.8)).resize(image.size, Image.Resampling.BILINEAR)
    # Faint feather far from the product would tint a pure-white background: clear it.
    mask = mask.point(lambda a: 0 if a < 10 else a)
    image.putalpha(mask)
    return image
