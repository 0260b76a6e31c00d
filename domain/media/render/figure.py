"""A flat-vector person presenting the product: an honest illustration (faceless, geometric), not a photo.
Drawn in two passes so the product goes between the body and the hand that holds it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import ImageDraw

RGB = tuple[int, int, int]
SKIN: tuple[RGB, ...] = ((241, 204, 170), (224, 172, 128), (190, 134, 94), (141, 94, 62), (102, 66, 44))
HAIR: tuple[RGB, ...] = ((40, 30, 24), (90, 60, 34), (20, 20, 22), (150, 110, 60))
TROUSERS: tuple[RGB, ...] = ((46, 56, 78), (60, 60, 64), (110, 96, 80))


@dataclass(frozen=True)
class Figure:
    x: int  # centre line
    top: int
    height: int
    skin: RGB
    hair: RGB
    shirt: RGB
    trousers: RGB

    def at(self, fx: float, fy: float) -> tuple[float, float]:
        """A point in figure units (x across from the centre line, y down from the top, both times the height)."""
        return self.x + fx * self.height, self.top + fy * self.height

    @property
    def hand(self) -> tuple[int, int]:
        """Where the holding hand is: the product is placed around it."""
        x, y = self.at(0.26, 0.4)
        return int(x), int(y)


def figure(x: int, top: int, height: int, shirt: RGB, rand: random.Random) -> Figure:
    return Figure(x, top, height, rand.choice(SKIN), rand.choice(HAIR), shirt, rand.choice(TROUSERS))


def body(draw: ImageDraw.ImageDraw, f: Figure) -> None:
    h = f.height
    w = max(2, int(h * 0.07))
    for side in (-1, 1):  # legs and shoes
        draw.rounded_rectangle(
            (*f.at(side * 0.075 - 0.05, 0.5), *f.at(side * 0.075 + 0.05, 0.95)), radius=h * 0.03, fill=f.trousers
        )
        draw.ellipse((*f.at(side * 0.075 - 0.06, 0.935), *f.at(side * 0.075 + 0.07, 0.99)), fill=(40, 40, 44))
    draw.rounded_rectangle((*f.at(-0.15, 0.16), *f.at(0.15, 0.56)), radius=h * 0.06, fill=f.shirt)  # torso
    draw.rectangle((*f.at(-0.025, 0.12), *f.at(0.025, 0.17)), fill=f.skin)  # neck
    draw.ellipse((*f.at(-0.065, 0.01), *f.at(0.065, 0.145)), fill=f.skin)  # head
    draw.chord((*f.at(-0.072, 0.0), *f.at(0.072, 0.12)), 180, 360, fill=f.hair)
    draw.rectangle((*f.at(-0.072, 0.05), *f.at(-0.05, 0.1)), fill=f.hair)
    draw.line((f.at(-0.13, 0.2), f.at(-0.2, 0.36), f.at(-0.19, 0.5)), fill=f.shirt, width=w, joint="curve")  # left arm
    draw.ellipse((*f.at(-0.225, 0.48), *f.at(-0.16, 0.545)), fill=f.skin)
    draw.line((f.at(0.13, 0.2), f.at(0.2, 0.36), f.at(0.26, 0.41)), fill=f.shirt, width=w, joint="curve")  # right arm


def hand(draw: ImageDraw.ImageDraw, f: Figure) -> None:
    """The holding hand, drawn over the product's edge."""
    x, y = f.hand
    r = f.height * 0.034
    draw.ellipse((x - r, y - r, x + r, y + r), fill=f.skin)
    draw.rounded_rectangle((x - r * 0.9, y - r * 1.6, x + r * 0.2, y - r * 0.4), radius=r * 0.5, fill=f.skin)  # thumb
