"""The text libraries the offline analyses stand on, behind small functions: sentences (segtok), sentiment
(VADER), keyphrases (YAKE), reading ease and syllables (textstat, pyphen) and emoji (emoji).

Everything here ships with its package (VADER's lexicon, YAKE's stopword lists, the CMU pronouncing
dictionary, pyphen's hyphenation dictionaries); nothing is downloaded at run time. It is CPU work: callers run
it off the event loop (``asyncio.to_thread``).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

import emoji
import yake
from segtok.segmenter import split_multi
from textstat.backend import metrics as readability
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

POSITIVE = 0.05  # VADER's own thresholds for a positive / negative compound score
NEGATIVE = -0.05

# YAKE names two of the document's languages differently (its stopword lists are by its own codes).
_YAKE_CODES = {"cs": "cz", "nb": "no"}
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019-](?=[^\W_]))*", re.UNICODE)
_lock = threading.Lock()


def sentences(text: str) -> list[str]:
    """The text's sentences (a line break also ends one: bullets and titles are their own)."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(s.strip() for s in split_multi(line) if s.strip())
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@cache
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER's compound score, -1 (negative) .. 1 (positive). VADER's lexicon is English: other languages score
    mostly neutral (emoji and emoticons still count)."""
    with _lock:  # the analyser is shared; building it once is the slow part
        analyser = _vader()
    return float(analyser.polarity_scores(text)["compound"])


def opinion_word(word: str) -> bool:
    """Whether VADER knows the word as an opinion: in its valence lexicon, a booster ("very") or a negation."""
    with _lock:
        analyser = _vader()
    lowered = word.casefold()
    return lowered in analyser.lexicon or lowered in BOOSTER_DICT or lowered in NEGATE


def yake_code(language: str) -> str:
    return _YAKE_CODES.get(language, language)


def keyphrases(text: str, language: str, *, top: int, max_words: int = 3) -> list[tuple[str, float]]:
    """YAKE's keyphrases of ``text``, most relevant first, with their scores (lower is more relevant)."""
    if not text.strip():
        return []
    extractor: Any = yake.KeywordExtractor(lan=yake_code(language), n=max_words, dedup_lim=0.8, top=top)
    return [(str(phrase), float(score)) for phrase, score in extractor.extract_keywords(text)]


@cache
def stopwords(language: str) -> frozenset[str]:
    """YAKE's stopword list for the language (empty where it has none)."""
    extractor: Any = yake.KeywordExtractor(lan=yake_code(language))
    return frozenset(w for w in extractor.stopword_set if w)


def reading_ease(text: str, language: str) -> float | None:
    """Flesch reading ease, in the variant textstat uses for the language (Fernandez-Huerta for Spanish,
    Kandel-Moles for French, Amstad for German ...); None where it cannot count syllables."""
    try:
        return round(float(readability.flesch_reading_ease(text, language)), 1)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None


def syllables_per_word(text: str, language: str) -> float | None:
    try:
        return round(float(readability.syllables_per_word(text, language)), 2)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None


def emoji_found(text: str) -> list[str]:
    return [str(item["emoji"]) for item in emoji.emoji_list(text)]
