"""Tone-of-voice adaptation: given content rewritten to follow a style guide.

With a provider, one structured call rewrites every content type with the style guide's fields as
instructions (facts, names and the number of bullets kept), then content generation's shortening pass and
guardrails with the built-in content types' limits.

Offline, only the guide's measurable rules are applied, deterministically, and an ``ADAPTED_OFFLINE`` warning
lists what was applied and which fields were not:

- emoji: removed when the guide rules them out (``use_of_emoticons`` or any field about emoji/emoticons says
  no, not, never, avoid …); detected with the ``emoji`` library's Unicode list;
- exclamation marks: calmed to full stops when the guide rules them out, or its emotional tone is neutral,
  calm or measured;
- sentence length: sentences longer than the guide's number of words (``… 15 words …``), or than 20 words
  when it asks for concise, short or simple writing, are split where they become two whole sentences (a
  semicolon, or a comma before "and", "but", "so" or "yet"); titles are left whole;
- person, vocabulary, pitch, audience and the rest are free text a deterministic rewrite cannot follow
  honestly: named in the warning as not applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import emoji

from domain.ai.service import TONE_OF_VOICE_ADAPTATION, UsageMeter
from domain.content.adaptation.common import (
    ADAPTED_OFFLINE,
    Content,
    bare_product,
    flush_usage,
    guard,
    keep_counts,
    model_for,
    providers_of,
    shaped,
    spec_of,
    structured,
    with_families,
)
from domain.content.adaptation.requests import ToneJobParams, guide_rules
from domain.content.guardrails import ContentWarning
from domain.content.pipeline import coerce
from domain.content.prompt import Prompt, content_schema
from domain.content.spec import GenerationSpec
from domain.content.textops import sentence_spans, texts_of, tidy

DEFAULT_CONCISE_WORDS = 20
_NEGATION = re.compile(r"\b(no|not|never|avoid\w*|without|don't|do not|none|refrain\w*)\b", re.I)
_EMOJI_TOPIC = re.compile(r"emoticon|emoji|smiley", re.I)
_EXCLAIM_TOPIC = re.compile(r"exclamation", re.I)
_CALM_TONE = re.compile(r"\b(neutral|calm|measured|understated|sober)\b", re.I)
_CONCISE = re.compile(r"\b(concise|short|simple|brief|succinct)\b", re.I)
_WORD_COUNT = re.compile(r"(\d{1,3})\s*(?:-\s*\d{1,3}\s*)?words?\b", re.I)
# Where a sentence can become two whole sentences: a semicolon, or a comma before a coordinating conjunction
# (a subordinate clause, "which …" or "because …", would be left a fragment).
_CLAUSE = re.compile(r";\s+|,\s+(?=(?:and|but|so|yet)\b)", re.I)
_LENGTH_FIELDS = ("writing_style", "pattern", "punctuation", "grammar", "language")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_PERSON = re.compile(r"\b(first|second|third)[- ]person\b", re.I)
_ADDRESS_READER = re.compile(r"\baddress(?:ing)? (?:the )?(?:reader|customer|shopper|user)s?\b", re.I)
_Q = "[\"\u201c\u201d'\u2018\u2019]"
_INSTEAD = re.compile(
    rf"\b(?:use|say|write|prefer)\s+{_Q}([^\"\u201c\u201d']+){_Q}\s+(?:instead of|rather than|over|not)\s+"
    rf"{_Q}([^\"\u201c\u201d']+){_Q}",
    re.I,
)
_ARROW = re.compile(rf"{_Q}([^\"\u201c\u201d']+){_Q}\s*(?:->|\u2192|=>)\s*{_Q}([^\"\u201c\u201d']+){_Q}")
_FIRST = re.compile(r"\bI\b|\b(?:[Mm]e|[Mm]y|[Mm]ine|[Ww]e|[Uu]s|[Oo]urs?)\b")  # not "US"
_SECOND = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
STYLE_NOT_APPLIED = "STYLE_NOT_APPLIED"


@dataclass
class StyleRules:
    """What an offline rewrite can follow, and where each rule came from."""

    no_emoji: bool = False
    no_exclamation: bool = False
    max_sentence_words: int | None = None
    person: str | None = None  # first | second | third: checked, not rewritten
    word_map: dict[str, str] = field(default_factory=dict)  # 'use "X" instead of "Y"': Y -> X
    sources: dict[str, str] = field(default_factory=dict)  # rule -> guide field

    def used_fields(self) -> set[str]:
        return set(self.sources.values())


def _sentences_about(text: str, topic: re.Pattern[str]) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if topic.search(s)]


def style_rules(guide: dict[str, str]) -> StyleRules:
    """The measurable rules of a style guide's text."""
    rules = StyleRules()
    for name, text in guide.items():
        about = [text] if name == "use_of_emoticons" else _sentences_about(text, _EMOJI_TOPIC)
        if any(_NEGATION.search(s) for s in about):
            rules.no_emoji = True
            rules.sources.setdefault("emoji", name)
        if any(_NEGATION.search(s) for s in _sentences_about(text, _EXCLAIM_TOPIC)):
            rules.no_exclamation = True
            rules.sources.setdefault("exclamation", name)
    tone = guide.get("emotional_tone", "")
    if not rules.no_exclamation and _CALM_TONE.search(tone):
        rules.no_exclamation = True
        rules.sources["exclamation"] = "emotional_tone"
    for name in _LENGTH_FIELDS:
        for sentence in _SENTENCE.findall(guide.get(name, "")):
            m = _WORD_COUNT.search(sentence)
            if m and "sentence" in sentence.lower():
                words = int(m.group(1))
                # An average is not a ceiling: allow half as much again.
                rules.max_sentence_words = words + words // 2 if "average" in sentence.lower() else words
                rules.sources["sentence length"] = name
                break
        if rules.max_sentence_words:
            break
    if rules.max_sentence_words is None:
        for name in ("writing_style", "pattern"):
            if _CONCISE.search(guide.get(name, "")):
                rules.max_sentence_words = DEFAULT_CONCISE_WORDS
                rules.sources["sentence length"] = name
                break
    if rules.max_sentence_words is not None and rules.max_sentence_words < 4:
        rules.max_sentence_words = 4
    for name, text in guide.items():
        m = _PERSON.search(text)
        if m or _ADDRESS_READER.search(text):
            rules.person = m.group(1).lower() if m else "second"
            rules.sources["person"] = name
            break
    for name, text in guide.items():
        pairs = [(old, new) for new, old in _INSTEAD.findall(text)] + _ARROW.findall(text)
        for old, new in pairs:
            rules.word_map.setdefault(old.strip(), new.strip())
            rules.sources.setdefault("word map", name)
    return rules


def person_of(text: str) -> str:
    """The grammatical person a text addresses its reader in: first (we, our), second (you) or third."""
    if _FIRST.search(text):
        return "first"
    if _SECOND.search(text):
        return "second"
    return "third"


def _split_long(sentence: str, limit: int) -> list[str]:
    """A sentence over ``limit`` words split at the clause boundary nearest its middle (recursively)."""
    if len(sentence.split()) <= limit:
        return [sentence]
    cuts = [m for m in _CLAUSE.finditer(sentence) if 0 < m.start() < len(sentence) - 1]
    if not cuts:
        return [sentence]
    middle = len(sentence) / 2
    cut = min(cuts, key=lambda m: abs(m.start() - middle))
    head = sentence[: cut.start()].rstrip(" ,;") + "."
    tail = sentence[cut.end() :].strip()
    tail = re.sub(r"^(and|so)\s+", "", tail, flags=re.I)
    if not tail:
        return [sentence]
    tail = tail[0].upper() + tail[1:]
    return _split_long(head, limit) + _split_long(tail, limit)


def restyle(text: str, rules: StyleRules, *, split: bool) -> str:
    out = text
    if rules.no_emoji:
        out = emoji.replace_emoji(out, "")
    if rules.no_exclamation:
        out = re.sub(r"\?!+|!+\?", "?", out)
        out = re.sub(r"!+", ".", out)
    if split and rules.max_sentence_words:
        pieces: list[str] = []
        for start, end in sentence_spans(out):
            span = out[start:end]
            gap = span[len(span.rstrip()) :]  # the space or line break after the sentence is kept
            parts = [p for p in _split_long(span.strip(), rules.max_sentence_words) if p]
            pieces.append(" ".join(parts) + gap)
        out = "".join(pieces).rstrip()
    return tidy(out) if out != text else out


def adapt_offline(
    content: Content, guide: dict[str, str], spec: GenerationSpec, rules: StyleRules
) -> tuple[Content, list[ContentWarning]]:
    """The measurable rules applied (the word map is the guardrails' business), and the warnings that say what
    was done and what was not."""
    out: Content = {}
    warnings: list[ContentWarning] = []
    for t in spec.content_types:
        value = content.get(t.name, "")
        split = t.family != "title"
        if isinstance(value, list):
            out[t.name] = [restyle(v, rules, split=split) for v in value]
        else:
            out[t.name] = restyle(value, rules, split=split)
        found = person_of(" ".join(texts_of(value)))
        if rules.person and t.family != "title" and found != rules.person:
            warnings.append(
                ContentWarning(
                    t.name,
                    STYLE_NOT_APPLIED,
                    f"{t.name} is written in the {found} person; the style guide asks for the {rules.person} "
                    "person (rewriting it needs an AI provider)",
                )
            )
    applied = []
    if rules.no_emoji:
        applied.append(f"emoji removed ({rules.sources['emoji']})")
    if rules.no_exclamation:
        applied.append(f"exclamation marks calmed ({rules.sources['exclamation']})")
    if rules.max_sentence_words:
        applied.append(f"sentences over {rules.max_sentence_words} words split ({rules.sources['sentence length']})")
    if rules.word_map:
        applied.append(f"word choices replaced ({rules.sources['word map']})")
    if rules.person:
        applied.append(f"{rules.person} person checked ({rules.sources['person']})")
    skipped = [name for name in guide if name not in rules.used_fields()]
    description = "adapted without an AI provider: " + ("; ".join(applied) or "no measurable rule in the guide")
    if skipped:
        description += f"; not applied (a rewrite needs an AI provider): {', '.join(skipped)}"
    note = ContentWarning(None, ADAPTED_OFFLINE, description)  # type: ignore[arg-type]
    return out, [note, *warnings]


def tone_prompt(content: Content, guide: dict[str, str], spec: GenerationSpec) -> Prompt:
    system = [
        "You rewrite e-commerce product detail page content so that it follows a brand's style guide.",
        "Keep every fact, number, name and claim; do not add facts. Keep each content type, in the language it "
        "is written in, and keep the number of bullet points. Answer with one JSON object matching the schema.",
        "Style guide:",
        *[f"- {name.replace('_', ' ')}: {text}" for name, text in guide.items()],
    ]
    user = ["Content to rewrite:"]
    for t in spec.content_types:
        value = content[t.name]
        limit = f" (at most {t.character_limit} characters{' each' if t.is_list else ''})" if t.character_limit else ""
        user.append(f'"{t.name}"{limit}:')
        user += [f"- {v}" for v in value] if isinstance(value, list) else [str(value)]
    bullets = {t.name: len(content[t.name]) for t in spec.content_types if t.is_list}
    return Prompt(
        system="\n".join(system),
        user="\n".join(user),
        schema=content_schema(spec.content_types, bullets=bullets),
        schema_name="restyled_content",
    )


async def run(ctx: Any) -> dict[str, Any]:
    """The ``content.adaptation.tone_of_voice`` job handler: ``{"content", "warnings"}``."""
    params: ToneJobParams = ctx.params
    request = params.request
    assert request.style_guide is not None  # refused at submit
    guide = guide_rules(request.style_guide)
    types = params.content_types
    rules = style_rules(guide)
    # The guide's word choices ('use "buy" instead of "purchase"') run as the guardrails' word map, after
    # any writer.
    config = with_families({"word_map": rules.word_map} if rules.word_map else {}, types, [request.content])
    spec = spec_of(types, config)
    content = shaped(request.content, spec)
    providers = providers_of(ctx)
    provider = providers.text
    model = model_for(providers, request.adaptation_model_name, TONE_OF_VOICE_ADAPTATION)
    meter = UsageMeter()
    await ctx.progress(0.0, "Applying the style guide.", None)
    notes: list[ContentWarning] = []
    try:
        if provider is None:
            written, notes = adapt_offline(content, guide, spec, rules)
        else:
            data = await structured(provider, tone_prompt(content, guide, spec), model, meter)
            written, notes = coerce(data, spec.content_types)
            written, more = keep_counts(written, content)
            notes += more
        final, warnings = await guard(
            written,
            bare_product(""),
            spec,
            config,
            provider,
            model=model,
            language="the same language as the text",
            meter=meter,
        )
    finally:
        await flush_usage(ctx, meter)
    return {"content": final, "warnings": [w.as_dict() for w in [*notes, *warnings]]}
