"""Listing image rendering: ``python -m benchmarks.listing_images [--size 2000] [--repeat 5] [--style KEY ...]``.

Renders every style of ``domain.listing.pricing.STYLES`` from a synthetic product photo (a bottle on a noisy
light-grey backdrop, 1200 x 1500 px, so the cut-out runs as it does for an uploaded photo), pinned to one CPU
core, and prints per style the median CPU time per image (the process's CPU time, so other load on the machine
does not inflate it; wall time is printed beside it), images per second on that core, and the CPU time of
encoding the PNG. The first render of each style is a warm-up (fonts load once) and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from PIL import Image, ImageDraw

from domain.listing.pricing import STYLES
from domain.media.render import ProductFacts, RenderRequest, encode, render

FACTS = ProductFacts(
    title="HydraPure Insulated Steel Water Bottle 750 ml",
    brand="HydraPure",
    category="Kitchen & Dining",
    description="Keeps drinks cold for 24 hours and hot for 12. Leak-proof lid.",
    features=(
        "Keeps cold 24 hours",
        "Leak-proof lid",
        "BPA-free stainless steel",
        "Lightweight for travel",
        "Dishwasher safe",
        "Lifetime warranty",
    ),
    specs=(("Capacity", "750 ml"), ("Material", "18/8 stainless steel"), ("In the box", "Bottle, spare lid, brush")),
    ingredients=("18/8 stainless steel", "Food-grade silicone seal", "Powder-coat finish"),
    dimensions=(("Height", "27 cm"), ("Diameter", "7.5 cm"), ("Weight", "380 g")),
    price="$24.99",
)


def photo(width: int = 1200, height: int = 1500) -> Image.Image:
    rng = np.random.default_rng(7)
    pixels = np.full((height, width, 3), 224.0) + rng.normal(0, 4, (height, width, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((400, 450, 800, 1320), radius=90, fill=(30, 120, 150))
    draw.rectangle((520, 260, 680, 470), fill=(40, 40, 48))
    draw.rectangle((440, 720, 760, 1010), fill=(240, 236, 226))
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--style", action="append", choices=sorted(STYLES))
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    source = photo()
    print(f"listing images: {args.size} px, one core, median of {args.repeat} (warm-up excluded)")
    print(f"{'style':30} {'cpu ms':>7} {'images/s':>9} {'wall ms':>8} {'png ms':>7}")
    totals = []
    for style in args.style or list(STYLES):
        request = RenderRequest(
            style=style,
            size=args.size,
            platform="general",
            source=source,
            facts=FACTS,
            season="diwali",
            context="kitchen counter",
        )
        render(request)
        cpu, wall, encodes = [], [], []
        for _ in range(args.repeat):
            start, start_wall = time.process_time(), time.perf_counter()
            rendered = render(request)
            cpu.append(time.process_time() - start)
            wall.append(time.perf_counter() - start_wall)
            start = time.process_time()
            encode(rendered.image)
            encodes.append(time.process_time() - start)
        median = statistics.median(cpu)
        totals.append(median)
        print(
            f"{style:30} {median * 1000:7.0f} {1 / median:9.2f} {statistics.median(wall) * 1000:8.0f}"
            f" {statistics.median(encodes) * 1000:7.0f}"
        )
    mean = statistics.fmean(totals)
    print(f"{'all styles (mean)':30} {mean * 1000:7.0f} {1 / mean:9.2f}")


if __name__ == "__main__":
    main()
