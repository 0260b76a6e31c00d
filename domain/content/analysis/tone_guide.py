"""The offline style guide: measured stylometry (``tone_measures``) turned into the document's twelve fields,
each a plain judgement followed by the numbers behind it, so an editor can see why."""

from __future__ import annotations

from domain.content.analysis.tone_measures import Measures
from domain.content.analysis.tone_request import STYLE_GUIDE_FIELDS


def _of(part: int, whole: int, noun: str) -> str:
    return f"{part} of {whole} {noun}".rstrip()


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """``1 exclamation mark``, ``2 exclamation marks``."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def _quote(items: list[str], limit: int = 5) -> str:
    return ", ".join(f"'{i}'" for i in items[:limit])


def _informality(m: Measures) -> float:
    """Informal markers per sentence: contractions, exclamation marks, emoji and emoticons."""
    markers = (m.contractions or 0) + m.exclamations + len(m.emoji) + len(m.emoticons)
    return markers / max(m.sentences, 1)


def tone_of_voice(m: Measures) -> str:
    informal = _informality(m)
    you = m.you_sentences or 0
    if informal >= 0.3:
        verdict = "Informal and conversational"
    elif informal > 0.05 or you / max(m.sentences, 1) >= 0.2:
        verdict = "Informal but professional"
    else:
        verdict = "Formal and professional"
    facts = [
        _n(m.contractions, "contraction") if m.contractions is not None else None,
        _n(m.exclamations, "exclamation mark"),
        f"{len(m.emoji) + len(m.emoticons)} emoji or emoticons",
        f"'you' in {you}" if m.you_sentences is not None else None,
    ]
    return f"{verdict} ({', '.join(f for f in facts if f)}, in {m.sentences} sentences)."


def writing_style(m: Measures) -> str:
    if m.words_per_sentence <= 12:
        verdict = "Simple and concise"
    elif m.words_per_sentence <= 20:
        verdict = "Clear, moderately detailed"
    else:
        verdict = "Detailed, long sentences"
    return (
        f"{verdict}: {m.words_per_sentence} words per sentence on average; "
        f"{_of(m.short_sentences, m.sentences, 'sentences')} have at most 12 words, {m.long_sentences} more than 25."
    )


def target_audience(m: Measures) -> str:
    ease = m.reading_ease
    if ease is None:
        verdict = "General audience" if m.words_per_sentence <= 15 else "Informed readers"
        basis = f"reading ease is not measured for '{m.language}'; {m.words_per_sentence} words per sentence"
    else:
        if ease >= 70:
            verdict = "General audience"
        elif ease >= 50:
            verdict = "Informed general readers"
        elif ease >= 30:
            verdict = "Readers comfortable with technical detail"
        else:
            verdict = "Specialists"
        basis = f"Flesch reading ease {ease}"
    return f"{verdict} ({basis}; {_of(m.figure_sentences, m.sentences, 'sentences')} cite figures or specifications)."


def grammar(m: Measures) -> str:
    capitalised = m.capitalised_sentences == m.sentences
    ended = m.ending_punctuation
    verdict = "Standard grammar and capitalisation" if capitalised else "Relaxed capitalisation"
    if ended < m.sentences / 2:
        verdict += "; many lines are fragments without closing punctuation"
    return (
        f"{verdict} ({_of(m.capitalised_sentences, m.sentences, 'sentences')} start with a capital letter or a "
        f"figure; {_of(ended, m.sentences, 'sentences')} end with '.', '!' or '?')."
    )


def emotional_tone(m: Measures) -> str:
    if m.sentiment is None:
        return (
            f"Not measured offline for '{m.language}' (the sentiment lexicon is English); "
            f"{_n(m.exclamations, 'exclamation mark')}, {len(m.emoji)} emoji."
        )
    if m.sentiment >= 0.3:
        verdict = "Warm and positive"
    elif m.sentiment >= 0.05:
        verdict = "Mildly positive"
    elif m.sentiment > -0.05:
        verdict = "Neutral"
    else:
        verdict = "Serious or cautionary"
    return (
        f"{verdict} (mean sentiment {m.sentiment} on a -1 to 1 scale; {m.positive_sentences} positive and "
        f"{m.negative_sentences} negative of {m.sentences} sentences)."
    )


def punctuation(m: Measures) -> str:
    per_sentence = m.commas / max(m.sentences, 1)
    if per_sentence < 0.5:
        verdict = "Limited use of commas"
    elif per_sentence < 1.5:
        verdict = "Moderate use of commas"
    else:
        verdict = "Frequent commas and clauses"
    others = [
        _n(n, name)
        for n, name in (
            (m.exclamations, "exclamation mark"),
            (m.questions, "question mark"),
            (m.colons, "colon"),
            (m.semicolons, "semicolon"),
        )
        if n
    ]
    if m.dashes:
        others.append(_n(m.dashes, "dash", "dashes"))
    rest = ", ".join(others) if others else "no exclamation marks, question marks, colons, semicolons or dashes"
    return f"{verdict} ({round(per_sentence, 2)} per sentence); {_n(m.full_stops, 'full stop')}; {rest}."


def language(m: Measures) -> str:
    share = round(100 * m.long_words / max(m.words, 1))
    verdict = "Technical or elaborate vocabulary" if share >= 30 else "Easy to understand, everyday words"
    syllables = f"{m.syllables_per_word} syllables and " if m.syllables_per_word is not None else ""
    return f"{verdict} ({syllables}{m.letters_per_word} letters per word; {share}% of words have 7 letters or more)."


def pitch(m: Measures) -> str:
    figures = m.figure_sentences / max(m.sentences, 1)
    if figures >= 0.3:
        verdict = "Feature-led and factual"
    elif (m.sentiment or 0) >= 0.3 or m.exclamations:
        verdict = "Enthusiastic and benefit-led"
    else:
        verdict = "Understated and matter-of-fact"
    detail = f"{_of(m.figure_sentences, m.sentences, 'sentences')} cite figures"
    if m.figures:
        detail += f" ({_quote(m.figures, 3)})"
    return f"{verdict}: {detail}; {_n(m.exclamations, 'exclamation mark')}."


def choice_of_words(m: Measures) -> str:
    terms = f"Recurring terms: {_quote(m.vocabulary)}" if m.vocabulary else "No recurring terms"
    caps = f"; {m.capital_words} words in capitals" if m.capital_words else ""
    return f"{terms}; {m.letters_per_word} letters per word on average{caps}."


def use_of_emoticons(m: Measures) -> str:
    found = m.emoji + m.emoticons
    if not found:
        return f"No emoji or emoticons (0 in {m.words} words)."
    per_100 = round(100 * len(found) / max(m.words, 1), 1)
    verdict = "Emoji used sparingly" if per_100 < 2 else "Frequent emoji"
    return f"{verdict}: {len(found)} in {m.words} words ({per_100} per 100 words: {' '.join(found[:6])})."


def pattern(m: Measures) -> str:
    parts = []
    for kind, shape in m.shapes.items():
        text = f"{kind}: {shape.per_pdp:g} per PDP, {shape.words:g} words"
        if shape.sentences > 1:
            text += f" in {shape.sentences:g} sentences"
        if shape.start_with_figure:
            text += f", {shape.start_with_figure} of {shape.texts} start with a figure"
        text += f", {shape.end_with_full_stop} of {shape.texts} end with a full stop"
        parts.append(text)
    lists = any(shape.per_pdp > 1 for shape in m.shapes.values())
    lead = "Short sections with bullet points" if lists else "Short single-block sections"
    return f"{lead} ({'; '.join(parts)})."


def industry(m: Measures) -> str:
    if not m.vocabulary:
        return "Not determined offline (too little text)."
    return f"Inferred from the recurring vocabulary: {_quote(m.vocabulary, 4)} (not classified offline)."


_FIELDS = {
    "tone_of_voice": tone_of_voice,
    "writing_style": writing_style,
    "target_audience": target_audience,
    "grammar": grammar,
    "emotional_tone": emotional_tone,
    "punctuation": punctuation,
    "language": language,
    "pitch": pitch,
    "choice_of_words": choice_of_words,
    "use_of_emoticons": use_of_emoticons,
    "pattern": pattern,
    "industry": industry,
}


def offline_style_guide(m: Measures) -> dict[str, str]:
    return {name: _FIELDS[name](m) for name in STYLE_GUIDE_FIELDS}
