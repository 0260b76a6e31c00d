"""Tone-of-voice analysis with a model: one structured call writes the style guide's twelve fields from the PDPs,
the products they describe and the stylometry measured from them (so the guide rests on the same numbers as the
offline one)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from domain.content.analysis.tone_measures import Measures
from domain.content.analysis.tone_request import STYLE_GUIDE_FIELDS, ToneAnalysisRequest

SCHEMA_NAME = "style_guide"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in STYLE_GUIDE_FIELDS},
    "required": list(STYLE_GUIDE_FIELDS),
    "additionalProperties": False,
}

_GUIDANCE = {
    "tone_of_voice": "overall tone, e.g. 'Informal but professional'",
    "writing_style": "e.g. 'Simple and concise'",
    "target_audience": "who the copy is written for",
    "grammar": "grammar conventions the copy follows",
    "emotional_tone": "e.g. 'Neutral', 'Warm'",
    "punctuation": "punctuation habits",
    "language": "vocabulary level and what to avoid",
    "pitch": "how the product is pitched, e.g. 'Positive and optimistic'",
    "choice_of_words": "the kind of words used and avoided",
    "use_of_emoticons": "whether and how emoji or emoticons are used",
    "pattern": "how the content is structured",
    "industry": "the industry the products belong to",
}


@dataclass(frozen=True)
class TonePrompt:
    system: str
    user: str


def _product(item: Any) -> dict[str, Any] | None:
    if item.product is None:
        return None
    p = item.product
    return {
        "product_name": p.product_name,
        "brand": p.brand,
        "description": p.product_description,
        "attributes": {a.name: a.value for a in p.attributes},
    }


def build_tone_prompt(request: ToneAnalysisRequest, measures: Measures) -> TonePrompt:
    fields = "\n".join(f"- {name}: {_GUIDANCE[name]}" for name in STYLE_GUIDE_FIELDS)
    system = "\n".join(
        [
            "You are a brand copy editor. From the product detail page (PDP) texts below, write the style guide "
            "that describes their tone of voice, so that new copy can be written the same way.",
            "Describe how the PDP texts are written (not what the products are), one or two sentences per field, "
            "each a usable instruction. Ground your judgements in the measurements given.",
            "Fields:",
            fields,
            "Answer with one JSON object matching the schema.",
        ]
    )
    items = [{"product": _product(item), "pdp_contents": item.pdp_contents} for item in request.items]
    user = "\n".join(
        [
            f"Language: {request.language}",
            "PDPs:",
            json.dumps(items, ensure_ascii=False, indent=1),
            "Measurements of the PDP texts:",
            json.dumps(measures.as_dict(), ensure_ascii=False),
        ]
    )
    return TonePrompt(system=system, user=user)
