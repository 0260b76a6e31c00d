"""The review summariser's one structured call: the model clusters the reviews into named themes (highlight or
shopping barrier) and says, review by review (by index), which themes it backs. It does no arithmetic: shares
are computed from these assignments (``review_report``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.content.analysis.review_report import BARRIER, HIGHLIGHT, MAX_NAMED_THEMES, Theme

SCHEMA_NAME = "review_themes"
SENTIMENTS = ("positive", "neutral", "negative")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "themes": {
            "type": "array",
            "description": "The themes, each named once.",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "2 to 5 words, in the reviews' language."},
                    "kind": {"type": "string", "enum": [HIGHLIGHT, BARRIER]},
                },
                "required": ["name", "kind"],
                "additionalProperties": False,
            },
        },
        "assignments": {
            "type": "array",
            "description": "One entry per review, in review order.",
            "items": {
                "type": "object",
                "properties": {
                    "review": {"type": "integer", "description": "The review's index, as in [n]."},
                    "sentiment": {"type": "string", "enum": list(SENTIMENTS)},
                    "themes": {
                        "type": "array",
                        "description": "Indexes (from 0) into themes of the themes this review backs.",
                        "items": {"type": "integer"},
                    },
                },
                "required": ["review", "sentiment", "themes"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["themes", "assignments"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class ReviewPrompt:
    system: str
    user: str


def build_review_prompt(reviews: list[str], *, product_desc: str, market: str, language: str) -> ReviewPrompt:
    system = "\n".join(
        [
            "You analyse customer reviews of one product for an online store.",
            "Cluster the reviews into themes of two kinds: highlights (what customers like about the product) "
            "and shopping barriers (what disappoints them or would stop someone from buying it).",
            f"Name each theme in 2 to 5 words, in the language '{language}', specific to what the reviews say "
            "(e.g. 'Comfortable on long walks', 'Zips break early'). Use at most "
            f"{MAX_NAMED_THEMES + 2} themes of each kind; fold rare points into the closest theme.",
            "Then, for every review by its index, give its overall sentiment and the indexes of the themes it "
            "backs (a review may back several themes, or none when it says nothing specific).",
            "Do not compute shares or percentages. Answer with one JSON object matching the schema.",
        ]
    )
    lines = [f"Market: {market}", f"Language: {language}", f"Product: {product_desc}", "", "Reviews:"]
    lines.extend(f"[{i}] {' '.join(text.split())}" for i, text in enumerate(reviews))
    return ReviewPrompt(system=system, user="\n".join(lines))


def parse_assignments(data: dict[str, Any], n_reviews: int) -> tuple[list[Theme], dict[int, str]]:
    """The model's answer as themes backed by review indexes, and each review's side by its sentiment (for the
    reviews that back no theme). Whatever does not fit (an unknown theme or review index, a malformed entry) is
    left out; a theme no review backs is dropped later."""
    raw_themes = data.get("themes") if isinstance(data.get("themes"), list) else []
    themes: list[Theme] = []
    for entry in raw_themes or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            themes.append(Theme(name=entry["name"], kind=str(entry.get("kind")), reviews=[]))
    sides: dict[int, str] = {}
    raw_assignments = data.get("assignments") if isinstance(data.get("assignments"), list) else []
    for entry in raw_assignments or []:
        if not isinstance(entry, dict):
            continue
        review = entry.get("review")
        if not isinstance(review, int) or isinstance(review, bool) or not 0 <= review < n_reviews:
            continue
        if entry.get("sentiment") == "negative":
            sides[review] = BARRIER
        else:
            sides.setdefault(review, HIGHLIGHT)
        for index in entry.get("themes") or []:
            if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(themes):
                if review not in themes[index].reviews:
                    themes[index].reviews.append(review)
    return themes, sides
