"""Translation: PDP content from English into up to five languages; needs a provider (there is no honest
offline translation, so the submit is refused with ``provider_required`` before anything is written).

Per target language:

1. one structured call translates every content type (same types, same number of bullets), with the
   language's ``translated_keywords`` as a glossary to use verbatim and each type's character limit;
2. the glossary is checked where the source text holds a term (whole words, any case); texts that miss a
   term or exceed their limit get one revision call that names both;
3. content generation's guardrails cut what is still too long at a clean boundary, and the glossary is
   checked again on the final text: a term still missing becomes a ``GLOSSARY_TERM_MISSING`` warning that
   names it, a text still too long an ``EXCEED_LENGTH`` warning.

Limits are the built-in content types' (``title`` 150, ``bullets`` 250 each, ``desc`` 1000, ``howtouse`` 500
…), the same in every language.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from domain.ai.ports import ProviderError, TextProvider
from domain.ai.service import TRANSLATION, UsageMeter
from domain.content.adaptation.common import (
    Content,
    bare_product,
    bounded,
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
from domain.content.adaptation.requests import TranslationJobParams
from domain.content.guardrails import ContentWarning
from domain.content.locales import language_key, language_name
from domain.content.pipeline import coerce
from domain.content.prompt import Prompt, content_schema
from domain.content.spec import GenerationSpec, TypeSpec
from domain.content.textops import contains_phrase, texts_of
from domain.jobs.registry import JobContext

GLOSSARY_TERM_MISSING = "GLOSSARY_TERM_MISSING"
SOURCE_LANGUAGE = "English"


def glossary_misses(source: Content, translated: Content, glossary: dict[str, str]) -> list[tuple[str, str, str]]:
    """(content type, term, translation) for every glossary term the source text holds and its translation
    does not (whole words, any case)."""
    misses: list[tuple[str, str, str]] = []
    for name, value in source.items():
        out = texts_of(translated.get(name, ""))
        for term, wanted in glossary.items():
            if any(contains_phrase(t, term) for t in texts_of(value)) and not any(
                contains_phrase(t, wanted) for t in out
            ):
                misses.append((name, term, wanted))
    return misses


def _over(content: Content, spec: GenerationSpec) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in spec.content_types:
        if t.character_limit and any(len(x) > t.character_limit for x in texts_of(content.get(t.name, ""))):
            out[t.name] = t.character_limit
    return out


def _limit_line(t: TypeSpec) -> str:
    if not t.character_limit:
        return ""
    return f" (at most {t.character_limit} characters{' for each bullet' if t.is_list else ''})"


def translation_prompt(source: Content, spec: GenerationSpec, code: str, glossary: dict[str, str]) -> Prompt:
    name = language_name(code)
    system = [
        f"You translate e-commerce product detail page content from {SOURCE_LANGUAGE} into {name} ({code}).",
        "Translate faithfully and naturally for shoppers in that market: keep every fact, number, unit, brand and "
        "product name; keep each content type and the number of bullet points. Answer with one JSON object "
        "matching the schema.",
    ]
    if glossary:
        system.append("Glossary: wherever the source uses one of these terms, use exactly this translation:")
        system += [f'- "{term}" -> "{wanted}"' for term, wanted in glossary.items()]
    user = ["Content to translate:"]
    for t in spec.content_types:
        user.append(f'"{t.name}"{_limit_line(t)}:')
        value = source[t.name]
        user += [f"- {v}" for v in value] if isinstance(value, list) else [str(value)]
    bullets = {t.name: len(source[t.name]) for t in spec.content_types if t.is_list}
    return Prompt(
        system="\n".join(system),
        user="\n".join(user),
        schema=content_schema(spec.content_types, bullets=bullets),
        schema_name="translated_content",
    )


def revision_prompt(
    translated: Content, spec: GenerationSpec, code: str, misses: list[tuple[str, str, str]], over: dict[str, int]
) -> tuple[Prompt, list[TypeSpec]]:
    """One call to fix the texts that miss a glossary term or exceed their limit."""
    names = list(dict.fromkeys([*(m[0] for m in misses), *over]))
    types = [t for t in spec.content_types if t.name in names]
    system = [
        f"You revise product texts written in {language_name(code)} ({code}). Keep their meaning and language; "
        "change only what is asked. Answer with one JSON object matching the schema.",
    ]
    user: list[str] = []
    for t in types:
        user.append(f'"{t.name}":')
        value = translated[t.name]
        user.append(json.dumps(value, ensure_ascii=False))
        for name, term, wanted in misses:
            if name == t.name:
                user.append(f'  Translate "{term}" exactly as "{wanted}".')
        if t.name in over:
            unit = "each bullet point" if t.is_list else "the text"
            user.append(f"  Shorten {unit} to at most {over[t.name]} characters.")
    bullets = {t.name: len(translated[t.name]) for t in types if t.is_list}
    prompt = Prompt(
        system="\n".join(system),
        user="\n".join(user),
        schema=content_schema(types, bullets=bullets),
        schema_name="revised_content",
    )
    return prompt, types


async def translate(
    provider: TextProvider,
    source: Content,
    spec: GenerationSpec,
    config: dict[str, Any],
    code: str,
    glossary: dict[str, str],
    *,
    model: str,
    meter: UsageMeter,
) -> dict[str, Any]:
    """One language's entry of the result: ``{"language", "pdp_content", "warnings"}``."""
    data = await structured(provider, translation_prompt(source, spec, code, glossary), model, meter)
    translated, notes = coerce(data, spec.content_types)
    translated, more = keep_counts(translated, source)
    notes += more
    misses, over = glossary_misses(source, translated, glossary), _over(translated, spec)
    if misses or over:
        prompt, types = revision_prompt(translated, spec, code, misses, over)
        revised, _ = coerce(await structured(provider, prompt, model, meter), types)
        revised, _ = keep_counts(revised, translated)
        translated.update({k: v for k, v in revised.items() if v})
    # The shortening pass has been made above, with the glossary: the guardrails only cut what is left.
    final, warnings = await guard(
        translated, bare_product(code), spec, config, None, model=model, language=code, meter=meter
    )
    for name, term, wanted in glossary_misses(source, final, glossary):
        warnings.append(
            ContentWarning(
                name, GLOSSARY_TERM_MISSING, f"{name}: the glossary term '{term}' is not translated as '{wanted}'"
            )
        )
    return {
        "language": language_name(code),
        "pdp_content": final,
        "warnings": [w.as_dict() for w in [*notes, *warnings]],
    }


async def run(ctx: JobContext[TranslationJobParams]) -> dict[str, Any]:
    """The ``content.adaptation.translation`` job handler: ``{"translations": [entry per language]}``, in the
    order the languages were asked for."""
    request = ctx.params.request
    providers = providers_of(ctx)
    provider = providers.require_text("Translation")
    model = model_for(providers, request.translation_model_name, TRANSLATION)
    types = ctx.params.content_types
    config = with_families({}, types, [request.pdp_content])
    spec = spec_of(types, config)
    source = shaped(request.pdp_content, spec)
    meter = UsageMeter()
    entries: dict[str, dict[str, Any]] = {}
    lock = asyncio.Lock()
    total = len(request.languages)
    await ctx.progress(0.0, f"Translating into {total} languages.", {"languages": total})

    async def one(code: str) -> None:
        try:
            entry = await translate(
                provider, source, spec, config, code, request.glossary_for(code), model=model, meter=meter
            )
        except ProviderError as exc:
            raise ProviderError(f"Translation into {language_name(code)} failed: {exc.message}") from exc
        async with lock:
            entries[code] = entry
            await ctx.progress(
                len(entries) / total,
                f"Translation into {entry['language']}: completed ({len(entries)} of {total}).",
                {"language": language_key(code), "status": "completed"},
            )

    try:
        await bounded(request.languages, one)
    finally:
        await flush_usage(ctx, meter)
    return {"translations": [entries[code] for code in request.languages]}
