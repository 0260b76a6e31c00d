"""From themes and the reviews that back them to the document's report: two ordered maps, highlights then
shopping barriers, ``"N. Theme": "x.y%"``, ranked by share.

Shares are computed here, from which reviews back which theme, never taken from a model's arithmetic:

- every review used counts once: a review that backs several themes gives each an equal part of itself, and a
  review that backs none counts for its side's ``Other`` (positive or neutral: highlights; negative: barriers);
- a theme's share is its part of all the reviews used, so the shares of both maps together are 100%;
- themes are thin when their share is under ``MIN_SHARE`` or when more than ``MAX_NAMED_THEMES`` of one side
  are backed: they join their side's ``Other``, which comes last in its map;
- shares are rounded to tenths by largest remainders, so the printed shares add up to exactly 100.0%.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

HIGHLIGHT = "highlight"
BARRIER = "barrier"
SIDES = (HIGHLIGHT, BARRIER)
OTHER = "Other"
MAX_NAMED_THEMES = 6  # per side, as in the document's example (six highlights and an Other)
MIN_SHARE = Fraction(2, 100)  # a theme backed by less than 2% of the reviews is thin


@dataclass
class Theme:
    """A named theme on one side and the reviews (indexes into the reviews used) that back it."""

    name: str
    kind: str
    reviews: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RankedTheme:
    rank: int
    name: str
    kind: str
    tenths: int  # the share in tenths of a percent, rounded so that all of them add up to 1000
    reviews: tuple[int, ...]
    other: bool = False

    @property
    def share(self) -> float:
        return self.tenths / 10

    @property
    def share_text(self) -> str:
        return f"{self.tenths // 10}.{self.tenths % 10}%"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "name": self.name,
            "kind": self.kind,
            "share": self.share,
            "reviews": list(self.reviews),
            "other": self.other,
        }


def clean_name(name: str) -> str:
    text = " ".join(name.split()).strip(" .;:-")
    return text[:1].upper() + text[1:]


def merge_themes(themes: Sequence[Theme], n_reviews: int) -> list[Theme]:
    """Themes with the same name on the same side become one; review indexes outside the reviews used and themes
    named ``Other`` (those reviews count as unassigned) are dropped; themes backed by no review are dropped."""
    merged: dict[tuple[str, str], Theme] = {}
    for theme in themes:
        name = clean_name(theme.name)
        if not name or theme.kind not in SIDES or name.casefold() == OTHER.casefold():
            continue
        backing = [r for r in theme.reviews if 0 <= r < n_reviews]
        entry = merged.setdefault((theme.kind, name.casefold()), Theme(name, theme.kind, []))
        entry.reviews.extend(r for r in backing if r not in entry.reviews)
    return [t for t in merged.values() if t.reviews]


def _largest_remainder(weights: Sequence[Fraction], total: int) -> list[int]:
    """Integers proportional to ``weights`` (which add up to 1) that add up to ``total``: each gets its floor,
    then the largest remainders (earlier first on ties) get one more."""
    exact = [w * total for w in weights]
    floors = [int(e) for e in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def rank_themes(themes: Sequence[Theme], n_reviews: int, side_of: Callable[[int], str]) -> list[RankedTheme]:
    """Both sides' themes with their shares, highlights first, each side ranked by share with ``Other`` last.
    ``side_of(review)`` says where a review that backs no theme counts."""
    if n_reviews <= 0:
        return []
    themes = merge_themes(themes, n_reviews)
    backs: dict[int, int] = {}
    for theme in themes:
        for r in theme.reviews:
            backs[r] = backs.get(r, 0) + 1
    weight = [sum((Fraction(1, backs[r]) for r in t.reviews), Fraction(0)) / n_reviews for t in themes]

    other_weight = {side: Fraction(0) for side in SIDES}
    other_reviews: dict[str, list[int]] = {side: [] for side in SIDES}
    for r in range(n_reviews):
        if r not in backs:
            side = side_of(r) if side_of(r) in SIDES else HIGHLIGHT
            other_weight[side] += Fraction(1, n_reviews)
            other_reviews[side].append(r)

    entries: list[tuple[str, str, Fraction, list[int], bool]] = []
    for side in SIDES:
        ranked = sorted((i for i, t in enumerate(themes) if t.kind == side), key=lambda i: (-weight[i], i))
        named = 0
        for i in ranked:
            if named < MAX_NAMED_THEMES and weight[i] >= MIN_SHARE:
                entries.append((side, themes[i].name, weight[i], themes[i].reviews, False))
                named += 1
            else:
                other_weight[side] += weight[i]
                other_reviews[side].extend(r for r in themes[i].reviews if r not in other_reviews[side])
        if other_weight[side] > 0:
            entries.append((side, OTHER, other_weight[side], sorted(other_reviews[side]), True))

    tenths = _largest_remainder([e[2] for e in entries], 1000)
    out: list[RankedTheme] = []
    for side in SIDES:
        mine = [(i, e) for i, e in enumerate(entries) if e[0] == side]
        mine.sort(key=lambda pair: (pair[1][4], -tenths[pair[0]], -pair[1][2], pair[0]))  # Other last
        for rank, (i, (kind, name, _, reviews, other)) in enumerate(mine, start=1):
            out.append(RankedTheme(rank, name, kind, tenths[i], tuple(sorted(reviews)), other))
    return out


def report_maps(themes: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The document's result: ``[highlights, barriers]``, each ``{"N. Theme": "x.y%"}`` in rank order. Built from
    the stored theme list (a list keeps its order in every database; a JSON object's keys may not)."""
    maps: dict[str, dict[str, str]] = {side: {} for side in SIDES}
    for theme in sorted(themes, key=lambda t: (SIDES.index(str(t["kind"])), int(t["rank"]))):
        tenths = round(float(theme["share"]) * 10)
        maps[str(theme["kind"])][f"{theme['rank']}. {theme['name']}"] = f"{tenths // 10}.{tenths % 10}%"
    return [maps[HIGHLIGHT], maps[BARRIER]]
