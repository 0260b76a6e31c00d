"""The review summariser without a model: extractive themes from the reviews themselves.

1. Each review is split into sentences; each sentence gets VADER's sentiment (positive, negative, or neutral,
   which then takes its review's overall sentiment).
2. YAKE picks the aspect phrases of all the reviews together (in the request's language, with its stopword
   list); phrases made only of words of the product description ("product", the product's own name) say
   nothing about it and are left out.
3. A candidate theme is a phrase on one side: highlight where a positive sentence mentions it, barrier where a
   negative one does. Candidates are taken greedily by how many reviews they back that no theme of their side
   holds yet (then by how many they back, then YAKE's relevance), skipping one that shares a word with a theme
   already taken on the same side ("hiking" after "hiking trips"), up to the named themes a side can show.
4. A review backs the taken themes it mentions with that sentiment; one that backs none counts for its side's
   ``Other``. The shares are then computed from these assignments (``review_report``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.content.analysis import textkit
from domain.content.analysis.review_report import BARRIER, HIGHLIGHT, MAX_NAMED_THEMES, RankedTheme, Theme, rank_themes

MAX_PHRASES = 200


@dataclass(frozen=True)
class _Sentence:
    review: int
    text: str
    side: str | None


def _side(score: float) -> str | None:
    if score >= textkit.POSITIVE:
        return HIGHLIGHT
    if score <= textkit.NEGATIVE:
        return BARRIER
    return None


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"(?!\w)", re.IGNORECASE)


def _aspect(phrase: str, described: set[str], stop: frozenset[str]) -> str | None:
    """The part of a keyphrase that names something about the product, or None: opinion words (VADER's lexicon,
    boosters, negations: "great", "absolutely", "not") are trimmed from both ends ("zippers broke" ->
    "zippers"); what is left must end in a word (an English noun phrase's head) of 3+ letters that is no stopword,
    and must not be made only of the product description's words."""
    words = textkit.words(phrase)
    while words and (textkit.opinion_word(words[0]) or words[0].casefold() in stop):
        words = words[1:]
    while words and (textkit.opinion_word(words[-1]) or words[-1].casefold() in stop):
        words = words[:-1]
    if not words or len(words[-1]) < 3:
        return None
    if all(w.casefold() in described for w in words):
        return None
    # Keep the text as written between the first and the last word kept.
    start = phrase.find(words[0])
    end = phrase.rfind(words[-1]) + len(words[-1])
    return phrase[start:end] if 0 <= start < end else " ".join(words)


def review_sides(reviews: list[str]) -> list[str]:
    """Each review's overall side by its sentiment (neutral counts as a highlight: nothing put the buyer off)."""
    return [BARRIER if textkit.sentiment(text) <= textkit.NEGATIVE else HIGHLIGHT for text in reviews]


def offline_themes(reviews: list[str], language: str, product_desc: str) -> list[Theme]:
    """The named themes and the reviews that back them."""
    overall = [textkit.sentiment(text) for text in reviews]
    found: list[_Sentence] = []
    for i, text in enumerate(reviews):
        for sentence in textkit.sentences(text):
            found.append(_Sentence(i, sentence, _side(textkit.sentiment(sentence)) or _side(overall[i])))

    described = {w.casefold() for w in textkit.words(product_desc)}
    stop = textkit.stopwords(language)
    phrases: dict[str, tuple[str, float]] = {}
    for raw, score in textkit.keyphrases("\n".join(reviews), language, top=MAX_PHRASES):
        aspect = _aspect(raw, described, stop)
        if aspect is not None and aspect.casefold() not in phrases:  # best-scored first
            phrases[aspect.casefold()] = (aspect, score)

    candidates: list[tuple[int, float, str, str, frozenset[str], set[int]]] = []
    for phrase, score in phrases.values():
        pattern = _pattern(phrase)
        support: dict[str, set[int]] = {HIGHLIGHT: set(), BARRIER: set()}
        for s in found:
            if s.side is not None and pattern.search(s.text):
                support[s.side].add(s.review)
        tokens = frozenset(w.casefold() for w in textkit.words(phrase)) - stop
        for side, backing in support.items():
            if backing:
                candidates.append((len(backing), score, phrase, side, tokens, backing))
    # Greedy: the candidate that backs the most reviews no theme of its side holds yet (then the most reviews,
    # then YAKE's relevance), so the named themes cover as many reviews as they can.
    taken: list[tuple[str, str, frozenset[str], set[int]]] = []
    covered: dict[str, set[int]] = {HIGHLIGHT: set(), BARRIER: set()}
    remaining = list(candidates)
    while remaining:
        best = max(remaining, key=lambda c: (len(c[5] - covered[c[3]]), c[0], -c[1], c[2]))
        remaining.remove(best)
        _, _, phrase, side, tokens, backing = best
        mine = [t for t in taken if t[1] == side]
        if len(mine) >= MAX_NAMED_THEMES or any(tokens & t[2] for t in mine):
            continue
        taken.append((phrase, side, tokens, backing))
        covered[side] |= backing
    return [Theme(name=phrase, kind=side, reviews=sorted(backing)) for phrase, side, _, backing in taken]


def summarise_offline(reviews: list[str], language: str, product_desc: str) -> list[RankedTheme]:
    themes = offline_themes(reviews, language, product_desc)
    sides = review_sides(reviews)
    return rank_themes(themes, len(reviews), lambda r: sides[r])
