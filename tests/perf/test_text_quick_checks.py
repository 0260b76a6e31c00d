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


def test_a_rewrite_gate_over_several_phrase_lists_is_each_list_s_gate() -> None:
    """The cleaning pass skips its three rewrites when ``none_can_occur`` holds for all their phrases at once:
    then each rewrite alone gives the text back as it is."""
    lists = [[" - ", "Not Applicable"], ["shopper barrier", "shopping barrier"], ["obsolete"], ["0"], ["\u00e9t\u00e9"]]
    protections: list[tuple[str, ...]] = [(), ("model 103",), ("0",), ("tech-savvy", "TECH")]
    for text, protected in itertools.product([*TEXTS, "model 103 \u2014 0 black", "Not Applicable - x"], protections):
        for first, second in itertools.combinations(lists, 2):
            together = textops.none_can_occur(text, (*first, *second), protected)
            assert together == (
                textops.none_can_occur(text, tuple(first), protected)
                and textops.none_can_occur(text, tuple(second), protected)
            )
            if together:
                assert textops.replace_phrases(text, dict.fromkeys(first, "x"), protected=protected) == text
                assert textops.remove_phrases(text, second, protected=protected) == (text, [])


def test_ascii_words_split_like_the_pattern() -> None:
    every = "".join(chr(i) for i in range(128))
    for text in [every, every[::-1], "a" + "a".join(every) + "Z", "Model_3 x-ray 4K\t\nDONE", ""]:
        assert textops._word_set(text) == frozenset(re.findall(r"\w+", text.lower())), repr(text)


def test_long_texts_find_what_the_word_sets_find(monkeypatch: Any) -> None:
    """``PhraseSet.find`` takes the words of a long text piece by piece (between ". "), each piece's remembered:
    the same answer as the whole text's words."""
    long_texts = [" ".join([t] * 8) for t in TEXTS] + [
        "Black, black-ish; BLACKEST rose  gold \u201cnavy\u201d teal_blue " * 4,
        "\u03a3\u039f\u03a3 black " * 20,
        "\u0130stanbul gray \u212aelvin " * 10,
        "A black. Navy. Rose. Gold. caf\u00e9. Teal.Blue. gray.\n. .black. . " * 5,
        "Stra\u00dfe black. CAF\u00c9 NAVY. \u00c9t\u00e9 rose gold.. Blue! " * 5,
        ". ".join(["black navy", "teal", "x. y", "caf\u00e9 rose", "gold"] * 6),
    ]
    vocabularies = [
        ("black", "navy", "rose gold", "teal", "blue", "gray", "kelvin", "istanbul", "tech", "obsolete"),
        ("black", "Black", "navy", "black"),  # given twice: found twice, in order
        ("caf\u00e9", "black", "\u00df", "\u00e9t\u00e9", "stra\u00dfe"),  # not only ASCII: the words of the text
    ]
    for vocabulary in vocabularies:
        fast = textops.PhraseSet(vocabulary)
        for text in long_texts:
            assert len(text) > textops._LONG_TEXT
            found = fast.find(text)
            monkeypatch.setattr(textops, "_LONG_TEXT", 10**9)
            assert found == textops.PhraseSet(vocabulary).find(text), (vocabulary, text)
            monkeypatch.undo()


def test_a_group_of_texts_holds_a_phrase_when_one_of_them_does() -> None:
    groups = [TEXTS, TEXTS[:2], TEXTS[2:3], ["", "tech"], []]
    phrases = [*PHRASES, "", "technology", "savvy \u2014 not", "tech"]
    for texts, phrase in itertools.product(groups, phrases):
        expected = any(contains_phrase(t, phrase) for t in texts)
        assert textops.TextGroup(texts).contains(phrase) == expected, (texts, phrase)
        assert textops.occurs_in_any(texts, phrase) == expected, (texts, phrase)
    for texts in groups:
        group = textops.TextGroup(texts)
        assert group.found(phrases) == [p for p in phrases if group.contains(p)]
        assert group.missing(phrases) == [p for p in phrases if p and not group.contains(p)]


def test_the_offline_path_stays_within_its_python_calls() -> None:
    """Issue 13's load-independent figure for the offline composer and guardrails: Python function calls a
    product (cProfile), 1,510 before that work, about 1,030 after its second pass and about 580 after its third
    (561 as measured here). A bound, so that the path does not slide back unnoticed; the answers themselves are
    tests/content/test_guardrail_corpus.py's."""
    import asyncio
    import cProfile
    import pstats

    from benchmarks.content_generation import CONTENT_CONFIG, CONTENT_TYPES, make_product
    from domain.content.pipeline import RunOptions, generate_group, group_products, guard_config
    from domain.content.products import from_request
    from domain.content.request import ProductIn
    from domain.content.spec import build_spec

    items = [from_request(ProductIn.model_validate(make_product(i))) for i in range(300)]
    groups = group_products(items, skip_grouping=True)
    spec = build_spec(list(CONTENT_TYPES), CONTENT_CONFIG)
    effective = guard_config(CONTENT_CONFIG, spec)
    options = RunOptions(market="uk", channel="TechStore", language="en", feedback=[], model="offline")

    async def run(chunk: list[Any]) -> None:
        for group in chunk:
            await generate_group(group, spec, CONTENT_CONFIG, None, options, effective)

    asyncio.run(run(groups[:100]))  # caches warm, as in a job after its first products
    profile = cProfile.Profile()
    profile.enable()
    asyncio.run(run(groups[100:]))
    profile.disable()
    per_product = pstats.Stats(profile).total_calls / 200  # type: ignore[attr-defined]
    assert per_product < 620, per_product
