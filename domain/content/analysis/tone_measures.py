"""Stylometry of PDP texts: what tone-of-voice analysis measures, with and without a model.

Sentence length, reading ease (textstat: Flesch in the language's variant), syllables and long words, person
(who the text speaks as and to), formality markers (contractions, exclamations, emoji and emoticons, words in
capitals), punctuation habits, figures and units, sentiment (VADER), recurring vocabulary (YAKE) and the shape
of each content type (lines, sentences, words). English-only measures (person, contractions, sentiment) are
``None`` for other languages rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from statistics import mean
from typing import Any

from domain.content.analysis import textkit

# Grammatical person in English: the pronouns themselves (a closed class of the language, not a word list about
# the product or its sentiment).
_PERSON = {
    "first": frozenset("i me my mine myself we us our ours ourselves".split()),
    "second": frozenset("you your yours yourself yourselves".split()),
    "third": frozenset("he him his she her hers it its they them their theirs".split()),
}
_APOSTROPHE = "['\u2019]"
_CONTRACTION = re.compile(
    rf"\b\w+(?:n{_APOSTROPHE}t|{_APOSTROPHE}(?:re|ve|ll|m|d))\b|\b(?:it|that|there|here|what|who){_APOSTROPHE}s\b", re.I
)
_EMOTICON = re.compile(r"(?:(?<=\s)|^)[:;=8][-'^]?[)(\]\[dDpP/\\|oO*]+(?=\s|$)")
_FIGURE = re.compile(r"\d")


@dataclass
class ContentTypeShape:
    texts: int = 0  # how many texts of this type (a bullet counts as one)
    per_pdp: float = 0.0  # texts per PDP (bullets per product)
    words: float = 0.0  # average words per text
    sentences: float = 0.0  # average sentences per text
    end_with_full_stop: int = 0
    start_with_figure: int = 0


@dataclass
class Measures:
    language: str
    pdps: int
    texts: int
    words: int
    sentences: int
    words_per_sentence: float
    short_sentences: int  # at most 12 words
    long_sentences: int  # more than 25 words
    reading_ease: float | None
    syllables_per_word: float | None
    long_words: int  # 7 letters or more
    letters_per_word: float
    person: dict[str, int] | None
    you_sentences: int | None
    contractions: int | None
    exclamations: int
    questions: int
    commas: int
    full_stops: int
    colons: int
    semicolons: int
    dashes: int
    capitalised_sentences: int
    ending_punctuation: int  # sentences ending with . ! or ?
    capital_words: int  # words in capitals, 3+ letters, that are not units or codes with digits
    figure_sentences: int
    figures: list[str]
    emoji: list[str]
    emoticons: list[str]
    sentiment: float | None
    positive_sentences: int | None
    negative_sentences: int | None
    vocabulary: list[str]
    shapes: dict[str, ContentTypeShape] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pdp_texts(pdps: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(content type, text) for every text of every PDP, a bullet being one text."""
    out: list[tuple[str, str]] = []
    for pdp in pdps:
        for kind, value in pdp.items():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and text.strip():
                    out.append((kind, text.strip()))
    return out


def measure(pdps: list[dict[str, Any]], language: str) -> Measures:
    texts = pdp_texts(pdps)
    joined = "\n".join(text for _, text in texts)
    # For keyphrases every text is its own sentence: a title never runs on into the description.
    separated = "\n".join(text if text.endswith((".", "!", "?")) else f"{text}." for _, text in texts)
    emoticons = _EMOTICON.findall(joined)
    plain = _EMOTICON.sub(" ", joined)  # punctuation is counted without the emoticons' own
    sentences = [s for _, text in texts for s in textkit.sentences(text)]
    words = textkit.words(joined)
    lengths = [len(textkit.words(s)) for s in sentences] or [0]
    english = language == "en"
    # "you'll" is "you": the pronoun before a contraction's apostrophe.
    lowered = [re.split(_APOSTROPHE, w.casefold())[0] for w in words]

    person = you = contractions = positive = negative = None
    sentiment = None
    if english:
        person = {name: sum(1 for w in lowered if w in pronouns) for name, pronouns in _PERSON.items()}
        you = sum(
            1
            for s in sentences
            if any(re.split(_APOSTROPHE, w.casefold())[0] in _PERSON["second"] for w in textkit.words(s))
        )
        contractions = len(_CONTRACTION.findall(joined))
        scores = [textkit.sentiment(s) for s in sentences]
        sentiment = round(mean(scores), 2) if scores else 0.0
        positive = sum(1 for v in scores if v >= textkit.POSITIVE)
        negative = sum(1 for v in scores if v <= textkit.NEGATIVE)

    shapes: dict[str, ContentTypeShape] = {}
    for kind in dict.fromkeys(k for k, _ in texts):
        mine = [t for k, t in texts if k == kind]
        shapes[kind] = ContentTypeShape(
            texts=len(mine),
            per_pdp=round(len(mine) / max(len(pdps), 1), 1),
            words=round(mean(len(textkit.words(t)) for t in mine), 1),
            sentences=round(mean(len(textkit.sentences(t)) for t in mine), 1),
            end_with_full_stop=sum(1 for t in mine if t.endswith(".")),
            start_with_figure=sum(1 for t in mine if t[:1].isdigit()),
        )

    figures = re.findall(r"\b\d[\w.,]*\b", joined)
    return Measures(
        language=language,
        pdps=len(pdps),
        texts=len(texts),
        words=len(words),
        sentences=len(sentences),
        words_per_sentence=round(mean(lengths), 1),
        short_sentences=sum(1 for n in lengths if 0 < n <= 12),
        long_sentences=sum(1 for n in lengths if n > 25),
        reading_ease=textkit.reading_ease(joined, language) if words else None,
        syllables_per_word=textkit.syllables_per_word(joined, language) if words else None,
        long_words=sum(1 for w in words if len(w) >= 7),
        letters_per_word=round(mean(len(w) for w in words), 1) if words else 0.0,
        person=person,
        you_sentences=you,
        contractions=contractions,
        exclamations=plain.count("!"),
        questions=plain.count("?"),
        commas=plain.count(","),
        full_stops=len(re.findall(r"\.(?!\d)", plain)),
        colons=plain.count(":"),
        semicolons=plain.count(";"),
        dashes=len(re.findall(r"\s[-\u2013\u2014]\s", plain)),
        capitalised_sentences=sum(1 for s in sentences if s[:1].isupper() or s[:1].isdigit()),
        ending_punctuation=sum(1 for s in sentences if s.endswith((".", "!", "?"))),
        capital_words=sum(1 for w in words if len(w) >= 3 and w.isupper()),
        figure_sentences=sum(1 for s in sentences if _FIGURE.search(s)),
        figures=list(dict.fromkeys(figures))[:8],
        emoji=textkit.emoji_found(joined),
        emoticons=emoticons,
        sentiment=sentiment,
        positive_sentences=positive,
        negative_sentences=negative,
        vocabulary=[phrase for phrase, _ in textkit.keyphrases(separated, language, top=8, max_words=2)],
        shapes=shapes,
    )
