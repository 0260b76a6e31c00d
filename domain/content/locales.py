"""Markets and languages as the content-services document gives them: the one place every content operation
takes them from.

- A **market** is one of the document's Market codes (``uk``, ``de``, ``us`` …), any case.
- A **language** is one of the document's Language codes (``en``, ``fr`` …), optionally with a market or a
  territory: ``fr_FR``, ``fr-fr``, ``en_uk``, as the translation example writes its target languages; a
  locale is ``<language>_<market>``.

Names (``Spanish (Spain)``, as the translation result writes them) come from CLDR through Babel's bundled data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, get_args

from babel import Locale

Market = Literal[
    "ar", "be", "bg", "bo", "br", "cl", "cn", "co", "cr", "cz", "de", "dk", "do", "ec", "ee", "es", "fi", "fr",
    "gb", "gr", "gt", "hn", "hu", "id", "it", "jp", "kr", "lt", "lv", "mx", "ni", "nl", "no", "pa", "pe", "pl",
    "pr", "pt", "py", "ro", "ru", "se", "si", "sk", "sv", "tr", "ua", "uk", "us", "uy", "ve",
]  # fmt: skip
Language = Literal[
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "hu", "id", "it", "ja", "ko", "lt", "lv", "nb",
    "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk", "zh",
]  # fmt: skip

MARKETS: frozenset[str] = frozenset(get_args(Market))
LANGUAGES: frozenset[str] = frozenset(get_args(Language))


_CODE = re.compile(r"^([A-Za-z]{2})(?:[_-]([A-Za-z]{2}))?$")
_TERRITORY_OF_MARKET = {"uk": "GB"}  # the document's "uk" market is the United Kingdom (ISO GB)


def is_market(value: str) -> bool:
    return value.strip().lower() in MARKETS


def _parts(value: str) -> tuple[str, str | None] | None:
    m = _CODE.match(value.strip())
    if m is None:
        return None
    language, market = m.group(1).lower(), (m.group(2) or "").lower() or None
    if language not in LANGUAGES or (market is not None and market not in MARKETS):
        return None
    return language, market


def is_language(value: str) -> bool:
    return _parts(value) is not None


def language_key(value: str) -> str | None:
    """The code in one spelling (``fr_fr`` for ``fr-FR``), to compare codes; None for an unknown one."""
    parts = _parts(value)
    if parts is None:
        return None
    return parts[0] if parts[1] is None else f"{parts[0]}_{parts[1]}"


def language_of(value: str) -> str | None:
    """The bare language (``fr`` for ``fr_FR``), or None for an unknown code."""
    parts = _parts(value)
    return parts[0] if parts is not None else None


def language_name(value: str) -> str:
    """The language's English name, as the document's translation result writes it: ``Spanish (Spain)``,
    ``French``; the code itself when CLDR has no name for it."""
    parts = _parts(value)
    if parts is None:
        return value
    language, market = parts
    english = _english()
    name = str(english.languages.get(language) or language)
    if market is None:
        return name
    territory = _TERRITORY_OF_MARKET.get(market, market.upper())
    return f"{name} ({english.territories.get(territory) or territory})"


@lru_cache(maxsize=1)
def _english() -> Locale:
    return Locale("en")
