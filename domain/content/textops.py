"""Pure text operations the content guardrails are built from (no configuration, no I/O).

Phrases are matched case-insensitively and as whole words: a phrase that starts or ends with a word
character only matches where that edge is not glued to another word character ("tech" does not match
inside "technology"); a phrase whose edge is punctuation or space (" - ") matches exactly there.
Protected spans (verbatim claims) are masked before a rewrite and restored after it, so no rewrite ever
alters a claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

_MASK_OPEN = "\ue000"
_MASK_CLOSE = "\ue001"
# A token's index is written in private-use digits (U+E010 to U+E019), so no rewrite that matches digits (a
# word map of "0") can reach inside a token and change which span it restores.
_MASK_DIGITS = str.maketrans("0123456789", "".join(chr(0xE010 + d) for d in range(10)))
_MASK_INDEX = str.maketrans("".join(chr(0xE010 + d) for d in range(10)), "0123456789")
_MASK_RE = re.compile(f"{_MASK_OPEN}([\ue010-\ue019]+){_MASK_CLOSE}")
_MASK_CHAR = re.compile("[\ue000\ue001\ue010-\ue019]")
_TRAILING_SEPARATORS = " \t\n,;:|/&-\u2013\u2014("
_LEADING_SEPARATORS = " \t\n,;:|/&)"
# Words a clean cut should not end on: a title or sentence ending in "with" reads as broken.
_DANGLING_WORDS = frozenset(
    "a an and or the of for with to in on at by from as is are your our its their but nor plus & -".split()
)


# --- matching ------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Case-insensitive, whole-word pattern for ``phrase`` (inner whitespace matches any whitespace)."""
    if phrase.strip() == phrase and phrase:
        body = r"\s+".join(re.escape(part) for part in phrase.split())
    else:
        body = re.escape(phrase)
    left = r"(?<!\w)" if re.match(r"\w", phrase[:1]) else ""
    right = r"(?!\w)" if re.match(r"\w", phrase[-1:]) else ""
    return re.compile(left + body + right, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _phrase_parts(phrase: str) -> tuple[str, ...] | None:
    """Lower-case pieces a text must contain for the ASCII ``phrase`` to occur in it (None: no quick test).

    A case-insensitive match of ASCII letters is a match of the lower-cased strings (but see
    ``_ASCII_LOOKALIKES``), so a phrase whose pieces are not all in the lower-cased text cannot match: most
    lookups end here without running a regex."""
    if not phrase.isascii():
        return None
    if phrase.strip() == phrase and phrase:
        return tuple(part.lower() for part in phrase.split())
    return (phrase.lower(),)


# The only non-ASCII characters a case-insensitive pattern matches to an ASCII letter or digit (Python's re:
# dotted and dotless i, long s, Kelvin sign; tests/perf checks this against every code point). A text without
# them matches an ASCII phrase only where its lower-cased form holds the phrase's lower-cased pieces.
_ASCII_LOOKALIKES = ("\u0130", "\u0131", "\u017f", "\u212a")


@lru_cache(maxsize=4096)
def lowered_for_tests(text: str) -> str | None:
    """``text`` lower-cased for ``may_contain``, or None when it allows no quick test."""
    if text.isascii() or _LOOKALIKE.search(text) is None:
        return text.lower()
    return None


_LOOKALIKE = re.compile("[" + "".join(_ASCII_LOOKALIKES) + "]")


def may_contain(lowered: str | None, phrase: str) -> bool:
    """False only when ``phrase`` certainly does not occur in the text (``lowered``: ``lowered_for_tests(text)``)."""
    if lowered is None:
        return True
    parts = _phrase_parts(phrase)
    if parts is None:
        return True
    for part in parts:
        if part not in lowered:
            return False
    return True


def contains_phrase(text: str, phrase: str) -> bool:
    return (
        bool(phrase)
        and may_contain(lowered_for_tests(text), phrase)
        and phrase_pattern(phrase).search(text) is not None
    )


def occurs_in_any(texts: Iterable[str], phrase: str) -> bool:
    """Whether ``contains_phrase(text, phrase)`` holds for any of ``texts`` (the phrase's quick test prepared once)."""
    if not phrase:
        return False
    parts = _phrase_parts(phrase)
    for text in texts:
        if parts is not None:
            lowered = lowered_for_tests(text)
            if lowered is not None:
                for part in parts:
                    if part not in lowered:
                        break
                else:
                    if phrase_pattern(phrase).search(text) is not None:
                        return True
                continue
        if phrase_pattern(phrase).search(text) is not None:
            return True
    return False


class TextGroup:
    """Texts looked through for several phrases (``contains``: whether any of them holds a phrase). The quick test
    runs once over all of them: a piece of a phrase that is in none of the lower-cased texts rules it out."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        lowered = list(map(lowered_for_tests, texts))
        self._each: list[str] = [] if None in lowered else lowered  # type: ignore[assignment]
        self._lowered = None if None in lowered else "\n".join(self._each)
        self._words: frozenset[str] | None = None

    def _holds_word(self, word: str) -> bool:
        """Whether a text holds ``word`` (a lower-case ASCII word: ``_single_word``) as a word of its own, which is
        ``contains_phrase`` for it: the texts' words, from their sentences (remembered), gathered once."""
        if self._words is None:
            self._words = frozenset().union(*[_lowered_words(piece) for low in self._each for piece in low.split(". ")])
        return word in self._words

    def contains(self, phrase: str) -> bool:
        """``any(contains_phrase(t, phrase) for t in texts)``."""
        if not phrase:
            return False
        if self._lowered is not None:
            parts = _phrase_parts(phrase)
            if parts is not None:
                for part in parts:
                    if part not in self._lowered:
                        return False
        return occurs_in_any(self.texts, phrase)

    def found(self, phrases: Sequence[str]) -> list[str]:
        """The ``phrases`` the texts hold, in their order: ``[p for p in phrases if self.contains(p)]``."""
        lowered = self._lowered
        out: list[str] = []
        for phrase in phrases:
            if not phrase:
                continue
            if lowered is not None:
                parts = _phrase_parts(phrase)
                if parts is not None:
                    for part in parts:
                        if part not in lowered:
                            break
                    else:
                        word = _single_word(phrase) if "\u03c3" not in lowered and "\u03c2" not in lowered else None
                        if self._holds_word(word) if word is not None else occurs_in_any(self.texts, phrase):
                            out.append(phrase)
                    continue
            if occurs_in_any(self.texts, phrase):
                out.append(phrase)
        return out

    def missing(self, phrases: Sequence[str]) -> list[str]:
        """The non-empty ``phrases`` the texts do not hold, in their order."""
        held = set(self.found(phrases))
        return [p for p in phrases if p and p not in held]


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _single_word(phrase: str) -> str | None:
    """The ASCII ``phrase`` lower-cased when it is one word (a run of word characters): it occurs in a text (with no
    sigma or look-alike) exactly where it is one of the words of the lower-cased text. None for any other phrase."""
    return phrase.lower() if phrase.isascii() and _WORDS.fullmatch(phrase) else None


@lru_cache(maxsize=4096)
def _word_set(text: str) -> frozenset[str]:
    """The text's words, lower-cased. Lower-casing the whole text first gives the same words (each character
    lower-cases alone, keeping whether it is a word character) except around a dotted capital I (two
    characters in lower case) or a capital sigma (lower-cased by its context)."""
    if text.isascii():
        # ASCII: the word characters are letters, digits and "_"; every other character separates words.
        return frozenset(text.lower().translate(_ASCII_NON_WORDS).split())
    if "\u0130" not in text and "\u03a3" not in text:
        return frozenset(_WORDS.findall(text.lower()))
    return frozenset(w.lower() for w in _WORDS.findall(text))


@lru_cache(maxsize=8192)
def _lowered_words(lowered: str) -> frozenset[str]:
    """The words (runs of word characters) of an already lower-cased text."""
    if lowered.isascii():
        return frozenset(lowered.translate(_ASCII_NON_WORDS).split())
    return frozenset(_WORDS.findall(lowered))


# Every ASCII character that is not a word character (``\w``), to a space (``str.split`` then gives the words): a
# table indexed by code point, which ``str.translate`` reads several times faster than a dict.
_ASCII_NON_WORDS = "".join(c if re.fullmatch(r"\w", c) else " " for c in map(chr, range(128)))


_LONG_TEXT = 120  # characters: from here, ``PhraseSet.find`` takes the words of each sentence of the text

# Between texts checked together: a full stop and a space hold no word character and are no space between the
# words of a phrase, so no word or phrase runs across them.
_TEXTS_APART = ". "


def lowered_together(texts: Sequence[str]) -> str | None:
    """The texts lower-cased for quick tests (``lowered_for_tests``, remembered per text), joined (``_TEXTS_APART``):
    a piece of a phrase that is not in it is in none of them. None when one of them allows no quick test or holds a
    sigma (a capital one is lower-cased by its context, so the text's words are not those of its lower-cased form)."""
    lowered = list(map(lowered_for_tests, texts))
    if None in lowered:
        return None
    joined = _TEXTS_APART.join(lowered)  # type: ignore[arg-type]
    return None if "\u03c3" in joined or "\u03c2" in joined else joined  # a sigma, from a capital one or not


class PhraseSet:
    """A list of phrases prepared once for ``find`` (which of them occur in a text): single words are looked up
    in the text's set of words (fast for long vocabularies), phrases of several words by pattern."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        self.phrases = phrases
        singles: dict[str, list[str]] = {}
        for p in phrases:
            if p and _WORDS.fullmatch(p):
                singles.setdefault(p.lower(), []).append(p)
        self._singles = singles
        self._single_words = frozenset(singles)
        # Phrases of several words, each with its quick test's pieces (``_phrase_parts``).
        self._multi = tuple((p, _phrase_parts(p)) for p in phrases if p and not _WORDS.fullmatch(p))
        # Each phrase's place, to give what was found in the given order without walking every phrase (only
        # when no phrase is given twice: then the found phrases in order are the given ones that were found).
        self._order = {p: i for i, p in enumerate(phrases)} if len(set(phrases)) == len(phrases) else None

    def find(self, text: str) -> list[str]:
        """Which of the phrases occur in ``text`` (whole words, any case), in their order, as given."""
        found: set[str] = set()
        lowered = lowered_for_tests(text)  # remembered: the guardrails have mostly lower-cased this text already
        if self._single_words:
            if lowered is not None and "\u03a3" not in text and len(text) > _LONG_TEXT:
                # The text's words (``_word_set``: the runs of word characters of the lower-cased text) are those of
                # its pieces between ". " (no word runs across one): a long text's pieces, its sentences, recur
                # (within a product before and after the additions; between products), and are remembered.
                singles = self._single_words
                for piece in lowered.split(". "):
                    for low in _lowered_words(piece) & singles:
                        found.update(self._singles[low])
            else:
                for low in _word_set(text) & self._single_words:
                    found.update(self._singles[low])
        for p, parts in self._multi:
            # ``contains_phrase(text, p)``, its quick test on the lower-cased text at hand
            if parts is not None and lowered is not None:
                for part in parts:
                    if part not in lowered:
                        break
                else:
                    if phrase_pattern(p).search(text) is not None:
                        found.add(p)
                continue
            if phrase_pattern(p).search(text) is not None:
                found.add(p)
        if not found:
            return []
        if self._order is not None:
            out = list(found)
            if out[1:]:
                out.sort(key=self._order.__getitem__)
            return out
        return [p for p in self.phrases if p in found]

    def may_occur(self, lowered: str) -> bool:
        """False only when ``find`` finds none of the phrases in any of the texts of ``lowered`` (``lowered_together``).
        Their words are those of its sentences (as ``find`` takes them from a long text: no word runs across ". ")."""
        singles = self._single_words
        if singles:
            for piece in lowered.split(". "):
                if not singles.isdisjoint(_lowered_words(piece)):
                    return True
        for _, parts in self._multi:
            if parts is None:
                return True
            for part in parts:
                if part not in lowered:
                    break
            else:
                return True
        return False


@lru_cache(maxsize=256)
def phrase_set(phrases: tuple[str, ...]) -> PhraseSet:
    return PhraseSet(phrases)


def phrases_in(text: str, phrases: Sequence[str]) -> list[str]:
    """Which of ``phrases`` occur in ``text`` (whole words, any case), as given (see ``PhraseSet``)."""
    if not phrases:
        return []
    return phrase_set(tuple(phrases)).find(text)


def match_case(matched: str, replacement: str, key: str) -> str:
    """``replacement`` in the case of ``matched``: ALL CAPS stays caps, a capitalised word stays capitalised,
    a lower-case occurrence of a capitalised key becomes lower case; an exact match keeps the replacement."""
    if not replacement or matched == key:
        return replacement
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if matched[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    if matched[:1].islower() and key[:1].isupper() and replacement[:1].isupper():
        return replacement[:1].lower() + replacement[1:]
    return replacement


# --- protection of verbatim spans ----------------------------------------------------------------


@dataclass
class Masked:
    text: str
    spans: list[str]

    def restore(self, text: str) -> str:
        if not self.spans and _MASK_OPEN not in text:
            return text
        return _MASK_RE.sub(lambda m: self.spans[int(m.group(1).translate(_MASK_INDEX))], text)


@lru_cache(maxsize=1024)
def _longest_first(items: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct non-empty ``items``, longest first, ties in code-point order (not a set's order, which
    changes with the process's hash seed)."""
    return tuple(sorted({p for p in items if p}, key=lambda p: (-len(p), p)))


@lru_cache(maxsize=1024)
def _keys_longest_first(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The non-empty ``keys``, longest first, equal lengths in their given order."""
    return tuple(k for k in sorted(keys, key=len, reverse=True) if k)


def mask(text: str, protected: Iterable[str]) -> Masked:
    """Replaces every occurrence of each protected string (longest first) by an opaque token."""
    spans: list[str] = []
    for item in _longest_first(tuple(protected)):
        if item in text:
            token = f"{_MASK_OPEN}{str(len(spans)).translate(_MASK_DIGITS)}{_MASK_CLOSE}"
            spans.append(item)
            text = text.replace(item, token)
    return Masked(text, spans)


def protected_rewrite(text: str, protected: Iterable[str], rewrite: Callable[[str], str]) -> str:
    masked = mask(text, protected)
    return masked.restore(rewrite(masked.text))


# --- rewriting -----------------------------------------------------------------------------------


_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:!?)])")
_EMPTY_BRACKETS = re.compile(r"\( *\)")
_REPEATED_SEPARATORS = re.compile(r"([,;:])(?:\s*[,;:])+")
_SEPARATOR_BEFORE_END = re.compile(r"[,;:]+(?=[.!?])")
_MULTI_SPACE = re.compile(r" {2,}")


def texts_of(value: str | list[str]) -> list[str]:
    """A content value's texts: a list as it is, one text as a list of one."""
    return value if isinstance(value, list) else [value]


@lru_cache(maxsize=8192)
def tidy(text: str) -> str:
    """Repairs what removals leave behind: doubled spaces, space before punctuation, repeated separators,
    empty brackets, separators at the start or end. Newlines are kept."""
    out = _SPACES.sub(" ", text)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", out)
    out = _EMPTY_BRACKETS.sub("", out)
    out = _REPEATED_SEPARATORS.sub(r"\1", out)
    out = _SEPARATOR_BEFORE_END.sub("", out)
    out = "\n".join(line.strip(" \t") for line in out.split("\n"))
    out = _MULTI_SPACE.sub(" ", out)
    return out.lstrip(_LEADING_SEPARATORS).rstrip(_TRAILING_SEPARATORS)


def _case_matcher(replacement: str, key: str) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        return match_case(m.group(0), replacement, key)

    return sub


@lru_cache(maxsize=4096)
def _unmaskable(phrase: str) -> bool:
    """Whether ``phrase`` allows a quick test and has no mask character: masking cannot make it match (a mask
    token is private-use characters only, between pieces of the text as it was)."""
    parts = _phrase_parts(phrase)
    return parts is not None and _MASK_CHAR.search(phrase) is None


@lru_cache(maxsize=1024)
def _plain_protection(protected: tuple[str, ...]) -> bool:
    """Whether masking ``protected`` and restoring gives back any text without mask characters (an item with a
    mask character could be masked inside another item's token)."""
    return not any(_MASK_CHAR.search(p) for p in protected)


@lru_cache(maxsize=1024)
def _quick_parts(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...] | None:
    """The lower-case pieces of each non-empty phrase (``_phrase_parts``), or None when one of them allows no
    quick test or could match inside a mask token (``_unmaskable``). Read-only: cached per phrase list."""
    out: list[tuple[str, ...]] = []
    for phrase in phrases:
        if not phrase:
            continue
        if not _unmaskable(phrase):
            return None
        parts = _phrase_parts(phrase)
        assert parts is not None  # _unmaskable: it allows a quick test
        out.append(tuple(sorted(parts, key=len, reverse=True)))  # the longest (rarest) piece tried first
    return tuple(out)


def none_can_occur(text: str, phrases: tuple[str, ...], protected: tuple[str, ...]) -> bool:
    """True only when no (non-empty) phrase can match ``text``, masked or not: a protected rewrite with any of
    ``phrases`` (``replace_phrases``, ``remove_phrases``) would give back ``text`` as it is."""
    if _MASK_OPEN in text:
        return False
    lowered = lowered_for_tests(text)
    return lowered is not None and none_can_occur_in(lowered, phrases, protected)


def none_can_occur_in(lowered: str, phrases: tuple[str, ...], protected: tuple[str, ...]) -> bool:
    """``none_can_occur`` for the text(s) ``lowered`` was made from (``lowered_for_tests``, ``lowered_together``)."""
    if _MASK_OPEN in lowered or not _plain_protection(protected):
        return False
    quick = _quick_parts(phrases)
    if quick is None:
        return False
    for parts in quick:
        for part in parts:
            if part not in lowered:
                break
        else:
            return False
    return True


def replace_phrases(text: str, mapping: dict[str, str], *, protected: Iterable[str] = ()) -> str:
    """Replaces each key of ``mapping`` (whole words, any case, longest key first) by its value, in the case of
    the occurrence. An empty value removes the phrase. Protected spans are never touched."""
    protected = tuple(protected)
    if not mapping or none_can_occur(text, tuple(mapping), protected):
        return text

    def rewrite(value: str) -> str:
        changed = value
        lowered = lowered_for_tests(changed)
        for key in _keys_longest_first(tuple(mapping)):
            if not may_contain(lowered, key):
                continue
            changed = phrase_pattern(key).sub(_case_matcher(mapping[key], key), changed)
            lowered = lowered_for_tests(changed)
        return changed

    out = protected_rewrite(text, protected, rewrite)
    return tidy_changed(text, out, protected)


@lru_cache(maxsize=4096)
def _compound_pattern(phrase: str) -> re.Pattern[str]:
    """Like ``phrase_pattern``, but also takes the hyphenated compound the phrase is part of
    ("obsolete-free" goes with "obsolete"), so a removal leaves no dangling "-free"."""
    base = phrase_pattern(phrase).pattern
    if not (re.match(r"\w", phrase[:1]) and re.match(r"\w", phrase[-1:])):
        return phrase_pattern(phrase)
    core = base.removeprefix(r"(?<!\w)").removesuffix(r"(?!\w)")
    return re.compile(r"(?<![\w-])(?:\w+-)*" + core + r"(?:-\w+)*(?![\w-])", re.IGNORECASE)


def remove_phrases(
    text: str, phrases: Sequence[str], *, protected: Iterable[str] = (), remaining: bool = True
) -> tuple[str, list[str]]:
    """Removes every phrase (whole words, any case). Returns the text and the phrases still present after
    removal: those that occur only inside protected spans, which must stay verbatim (not looked for, and
    empty, with ``remaining=False``)."""
    protected = tuple(protected)
    if none_can_occur(text, tuple(phrases), protected):
        return text, []

    def rewrite(value: str) -> str:
        lowered = lowered_for_tests(value)
        for phrase in _longest_first(tuple(phrases)):
            if may_contain(lowered, phrase):
                value = _compound_pattern(phrase).sub("", value)
                lowered = lowered_for_tests(value)
        return value

    out = tidy_changed(text, protected_rewrite(text, protected, rewrite), protected)
    return out, [p for p in phrases if p and contains_phrase(out, p)] if remaining else []


def tidy_changed(before: str, after: str, protected: Iterable[str] = ()) -> str:
    """``tidy`` only when a rewrite changed something, and never inside protected spans."""
    if before == after:
        return after
    return protected_rewrite(after, protected, tidy)


# --- sentences and clean cuts --------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a span includes the whitespace that follows it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def cut_at_word(text: str, limit: int, *, full_stop: bool = False) -> str:
    """The longest prefix of ``text`` within ``limit`` characters that ends at a word boundary, without
    trailing separators or dangling words. With ``full_stop``, ends it with "." when that still fits."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = text[: limit + 1]
    if not cut[-1].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"))
        cut = cut[:space] if space > 0 else ""
    cut = cut[:limit]
    while True:
        stripped = cut.rstrip(_TRAILING_SEPARATORS + ".")
        words = stripped.split()
        if words and words[-1].lower() in _DANGLING_WORDS and len(words) > 1:
            cut = stripped[: stripped.rfind(words[-1])]
            continue
        cut = stripped
        break
    if full_stop and cut and cut[-1].isalnum() and len(cut) < limit:
        cut += "."
    return cut


def fit_to_limit(text: str, limit: int, required: Sequence[str] = (), *, sentences: bool = True) -> tuple[str, int]:
    """Cuts ``text`` to at most ``limit`` characters at a sentence boundary (or, when that would lose too
    much, at a word boundary), never removing a sentence that holds one of the ``required`` strings.

    Returns the text and by how many characters it still exceeds the limit: 0 when it fits. When the
    required sentences alone exceed the limit the text is returned unchanged (nothing verbatim is cut).
    """
    text = text.strip()
    if len(text) <= limit:
        return text, 0
    spans = sentence_spans(text) if sentences else [(0, len(text))]
    required_idx: set[int] = set()
    for item in required:
        if not item:
            continue
        start = text.find(item)
        while start != -1:
            end = start + len(item)
            required_idx.update(i for i, (s, e) in enumerate(spans) if s < end and e > start)
            start = text.find(item, end)
    pieces = [text[s:e] for s, e in spans]
    keep = list(range(len(pieces)))

    def joined(indices: list[int]) -> str:
        return "".join(pieces[i] for i in indices).strip()

    dropped: list[int] = []
    while len(joined(keep)) > limit:
        droppable = [i for i in keep if i not in required_idx]
        if not droppable:
            return text, len(text) - limit
        keep.remove(droppable[-1])
        dropped.append(droppable[-1])
    result = joined(keep)
    body_kept = [i for i in keep if i not in required_idx]
    if body_kept and len(result) >= limit * 0.6:
        return result, 0
    # Too little left after whole sentences: refill the room with the last dropped sentence, cut at a word.
    last = dropped[-1]
    room = limit - len(result) - (1 if result else 0)
    partial = cut_at_word(pieces[last].strip(), room, full_stop=sentences and pieces[last].strip().endswith("."))
    order = sorted([*keep, last])
    pieces[last] = partial + (" " if last != order[-1] else "")
    out = joined(order)
    best = out if partial and len(out) <= limit else result
    # Nothing fits at a word boundary (a single word longer than the limit): keep the text and say by how much
    # it is over, rather than answer an empty text that reports no problem.
    return (best, 0) if best else (text, len(text) - limit)
