"""``imagePrompt``: the advanced prompt that overrides the structured inputs.

- With an image model, the prompt is sent to it as it is, in place of the prompt built from the structured
  inputs (``backdrop_prompt``).
- Offline, Pillow cannot draw a sentence, so the prompt is read for what it names: a mood, background, art
  style, composition or boldness word overrides that input (``"luxury gold on a pastel background"`` sets mood
  luxury and background pastel), and a colour word (``red``, ``gold``, ``teal`` ...) sets the accent colour.
"""

from __future__ import annotations

import re

from domain.marketing.requests import PostOptions
from domain.media.render.palette import NAMED

RGB = tuple[int, int, int]

# Words (as they appear in a prompt) -> (input, value). Longer phrases are matched first.
_WORDS: dict[str, tuple[str, str]] = {
    "soft feminine": ("mood", "soft_feminine"),
    "feminine": ("mood", "soft_feminine"),
    "luxury": ("mood", "luxury"),
    "luxurious": ("mood", "luxury"),
    "premium": ("mood", "luxury"),
    "modern": ("mood", "modern"),
    "medical": ("mood", "medical_clean"),
    "clinical": ("mood", "medical_clean"),
    "gradient": ("background", "gradient"),
    "pastel": ("background", "pastel"),
    "surface": ("background", "surface_backdrop"),
    "backdrop": ("background", "surface_backdrop"),
    "table": ("background", "surface_backdrop"),
    "negative space": ("art_style", "negative_space"),
    "minimal": ("art_style", "negative_space"),
    "depth": ("art_style", "depth"),
    "lifestyle": ("art_style", "lifestyle"),
    "hero": ("art_style", "hero"),
    "grouped": ("product_composition", "grouped"),
    "group": ("product_composition", "grouped"),
    "side by side": ("product_composition", "side_layout"),
    "side layout": ("product_composition", "side_layout"),
    "bold": ("visual_boldness", "high"),
    "vibrant": ("visual_boldness", "high"),
    "subtle": ("visual_boldness", "low"),
    "understated": ("visual_boldness", "low"),
}
_COLOURS = dict(NAMED)


def apply_offline(options: PostOptions, prompt: str | None) -> tuple[PostOptions, RGB | None, list[str]]:
    """The options with what the prompt names put over them, the accent colour it names, and what changed."""
    if not prompt:
        return options, None, []
    text = " " + re.sub(r"[^a-z ]+", " ", prompt.lower()) + " "
    changes: dict[str, str] = {}
    for phrase in sorted(_WORDS, key=len, reverse=True):
        if f" {phrase} " in text:
            field, value = _WORDS[phrase]
            changes.setdefault(field, value)
            text = text.replace(f" {phrase} ", " ")
    accent = next((_COLOURS[w] for w in text.split() if w in _COLOURS), None)
    applied = [f"{k}={v}" for k, v in changes.items()] + ([f"accent={accent}"] if accent else [])
    return options.model_copy(update=changes), accent, applied


_MOOD_WORDS = {
    "luxury": "luxurious, dark and gold, dramatic light",
    "soft_feminine": "soft, feminine, blush pink and cream tones",
    "modern": "modern, clean, cool blue and grey tones",
    "medical_clean": "clinical, bright white and teal, very clean",
}
_BACKGROUNDS = {
    "gradient": "a smooth colour gradient",
    "surface_backdrop": "a tabletop surface in front of a plain wall",
    "pastel": "soft pastel shapes",
    "auto": "a background that suits the mood",
}
_STYLES = {
    "hero": "a centred hero product shot with a spotlight",
    "negative_space": "lots of empty space, minimalist",
    "depth": "layered depth of field",
    "lifestyle": "a realistic lifestyle interior",
}


def backdrop_prompt(options: PostOptions, title: str, category: str | None) -> str:
    """The image model's prompt built from the structured inputs (when there is no ``imagePrompt``)."""
    return (
        f"Background photograph for a social media {options.image_type} advertising {title}"
        + (f" ({category})" if category else "")
        + f": {_BACKGROUNDS[options.background]}, {_STYLES[options.art_style]}, {_MOOD_WORDS[options.mood]}. "
        "Leave the centre and lower part empty for the product, which is added afterwards. No products, text, "
        "logos or watermarks."
    )
