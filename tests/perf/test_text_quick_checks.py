"""The guardrails' quick checks (issue 13's offline speed) never change an answer: a phrase the quick check
rules out is one its pattern cannot match, and the words of a text are the same however they are lower-cased."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from domain.content import textops
from domain.content.textops import contains_phrase, lowered_for_tests, may_contain, phrase_pattern, phrases_in


def test_the_lookalikes_are_every_non_ascii_character_that_matches_an_ascii_word_character() -> None:
    everything = "".join(chr(i) for i in range(0x80, 0x110000) if not 0xD800 <= i < 0xE000)
    found = set(re.findall("[a-z0-9_]", everything, re.IGNORECASE))
    assert found == set(textops._ASCII_LOOKALIKES)


TEXTS = [
    "A black charger, model 103. Customers say: \u201cgreat\u201d",
    "Obsolete-free TECH for the tech-savvy \u2014 not technology",
    "Stra\u00dfe \u0130stanbul \u0131 \u017fun \u212aelvin \u03a3\u039f\u03a3 caf\u00e9",
    "shopper\u00a0barrier and shopping  barrier \ue0000\ue001 mask",
    "Not Applicable - yes - no",
]
PHRASES = ["black", "tech", "obsolete", "istanbul", "sun", "kelvin", "shopper barrier", " - ", "not applicable", "i"]


def test_a_phrase_ruled_out_never_matches() -> None:
    for text, phrase in itertools.product(TEXTS, PHRASES):
        matches = phrase_pattern(phrase).search(text) is not None
        if matches:
            assert may_contain(lowered_for_tests(text), phrase), (text, phrase)
        assert contains_phrase(text, phrase) == matches, (text, phrase)


def test_words_are_found_as_before() -> None:
    words = re.compile(r"\w+")
    for text in TEXTS:
        expected = {w.lower() for w in words.findall(text)}
        assert textops._word_set(text) == expected, text
        vocabulary = [*sorted(expected), "rose gold", "absent"]
        assert phrases_in(text, vocabulary) == [p for p in vocabulary if contains_phrase(text, p)]


def _reference_replace(text: str, mapping: dict[str, str], protected: list[str]) -> str:
    """``replace_phrases`` as it was, with no quick checks."""

    def rewrite(value: str) -> str:
        for key in sorted(mapping, key=len, reverse=True):
            if key:
                value = phrase_pattern(key).sub(textops._case_matcher(mapping[key], key), value)
        return value

    return textops.tidy_changed(text, textops.protected_rewrite(text, protected, rewrite), protected)


def _reference_remove(text: str, phrases: list[str], protected: list[str]) -> tuple[str, list[str]]:
    def rewrite(value: str) -> str:
        for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
            value = textops._compound_pattern(phrase).sub("", value)
        return value

    out = textops.tidy_changed(text, textops.protected_rewrite(text, protected, rewrite), protected)
    return out, [p for p in phrases if p and contains_phrase(out, p)]


def _outcome(rewrite: Callable[..., object], *args: Any, **kwargs: Any) -> object:
    """What a rewrite gives, or the kind of error it raises (a text holding mask characters may fail)."""
    try:
        return rewrite(*args, **kwargs)
    except Exception as exc:
        return type(exc)


def test_rewrites_give_what_they_gave_without_quick_checks() -> None:
    protections = [[], ["model 103"], ["0"], ["Not Applicable - yes"], ["tech-savvy", "TECH"]]
    mappings = [{" - ": ", ", "Not Applicable": ""}, {"0": "zero"}, {"black": "red", "sun": "moon"}, {"absent": "x"}]
    for text, protected in itertools.product([*TEXTS, "model 103 \u2014 0 black", "10 Not Applicable"], protections):
        for mapping in mappings:
            got = _outcome(textops.replace_phrases, text, mapping, protected=protected)
            assert got == _outcome(_reference_replace, text, mapping, protected), (text, mapping, protected)
        for phrases in ([*PHRASES, "0"], ["absent"], ["tech", "obsolete"]):
            got = _outcome(textops.remove_phrases, text, phrases, protected=protected)
            assert got == _outcome(_reference_remove, text, phrases, protected), (text, phrases, protected)
