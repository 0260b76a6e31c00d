"""A varied, seeded corpus for the guardrails and the offline composer, and what each case gives.

Issue 13 made the offline path (composer, rendering, rules, guardrails) faster without changing an answer.
``tests/content/test_guardrail_corpus.py`` runs every case and compares a digest of its outcome with the
digests recorded in ``guardrail_corpus.json`` (recorded from the code before that work; every text, warning,
budget and error, not a property of them). Rerecord only for an intended change of behaviour:

    .venv/bin/python -m tests.content.guardrail_corpus --record

A case is a random configuration (word map, forbidden words, entities, field map, additions, limits and
families), a variant group of 1 to 3 random products (colours, sizes, volumes, claims with and without
disclaimers, keywords, reviews, non-ASCII and case look-alikes), and a provider-like answer with placeholders,
noise and over-long texts. Its outcome: the offline job's entries (``generate_group`` without a provider), the
same with a scripted provider (first answer and shortening answer: ``shorten``, ``length_budgets``), the
guardrails with and without cutting, the audit, and the text operations on a few random texts.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from domain.ai.ports import StructuredResult, Usage
from domain.content import textops
from domain.content.guardrail_rules import build_rules
from domain.content.guardrails import apply_guardrails, audit, check_entities, length_budgets, quantities
from domain.content.offline import compose
from domain.content.pipeline import RunOptions, generate_group, guard_config, render_for
from domain.content.products import ProductData
from domain.content.spec import build_spec

SEED = 1313
CASES = 400
BENCHMARK_PRODUCTS = 300
FIXTURE = Path(__file__).with_name("guardrail_corpus.json")

COLOURS = ["Black", "black", "BLACK", "Rose Gold", "rose  gold", "Navy", "Silver", "Grey", "gray", "Teal", "Red"]
SIZES = ["50 ml", "50ml", "100 ml", "1.5 kg", "1,5 kg", "15 inch", "15in", "16 GB", "250 ML", "8.4 fl oz", "2 l"]
WORDS = [
    "tech", "technology", "Tech-savvy", "obsolete", "Obsolete-free", "gadget", "charger", "with", "and", "the",
    "for", "model", "Quantum", "QuantumTech", "colour", "Colour", "color", "Not Applicable", "not applicable",
    "shopper barrier", "SHOPPING BARRIER", "shopping\u00a0barrier", " - ", "-", "\u2013", "cheap", "Cheap",
    "premium", "caf\u00e9", "\u0130stanbul", "\u017fun", "\u212aelvin", "\u03a3\u039f\u03a3", "Stra\u00dfe", "sun",
    "kelvin", "istanbul", "(", ")", "()", ",", ";", ":", ".", "!", "?", "\n", "  ", "*", "Two-year warranty*",
    "*Terms apply.", "Designed in the UK", "100% recycled", "0", "7", "v2", "fits", "your", "all-day", "battery",
    "12 W", "5V", "3000 mAh", "TB", "Lavender", "lilac", "Gold", "gold", "Maroon", "bronze", "rose", "Rose",
    "{{variant.Colour}}", "{{ variant.Size }}", "{{variant.Missing}}", "{{title}}", "\u201cquoted\u201d",
    "\ue000", "very", "long", "sentence", "that", "keeps", "going", "on",
]  # fmt: skip
KINDS = ["Charger", "Keyboard", "Shampoo", "Laptop", "Kettle", "Serum"]
ENTITIES = ["PRODUCT_NAME", "SIZE", "COLOR", "COLOUR", "VOLUME", "WEIGHT", "CAPACITY", "MATERIAL"]
CLAIMS = [
    "Two-year warranty",
    "'Claim': Two-year warranty*, 'Disclaimer': *Terms apply.",
    "'Claim': Clinically proven* | 'Disclaimer': *In a study of 30 people.",
    "Designed in the UK",
    "100% recycled packaging",
    "'Claim': Lasts 12 hours*, 'Disclaimer': *Under normal use, results vary with settings and the weather.",
    "A very long claim that goes on and on about everything the product can do for you all day long",
]
TYPES = ["title", "bullets", "desc", "short_description", "meta_description", "how_to_use", "seo_title", "extra"]
TEMPLATES = [
    "{{attr.brand}}, {{title}}",
    "{{attr.brand}} - {{title}} - {{attr.sub_brand}}",
    "Highlights: {{bullets_1}}",
    "{{desc}}\nThanks, from the team at {{attr.brand}}!",
    "{{ desc }} ({{attr.colour}})",
    "New: {{title}}",
    "{{bullets_3}} | {{attr.size}}",
    "{{bullets_9}}",
    "Only the template {{attr.material}}",
    "{{title}} by {{attr.Brand}}, {{desc}}",
]


def _text(rng: random.Random, extra: Sequence[str], words: int) -> str:
    pool = [*WORDS, *extra]
    parts: list[str] = []
    for _ in range(words):
        word = rng.choice(pool)
        parts.append(word)
        if rng.random() < 0.12:
            parts.append(rng.choice([".", ". ", "!", ",", "\n"]))
    return rng.choice([" ", " ", "", "  "]).join(parts) if rng.random() < 0.2 else " ".join(parts)


def _config(rng: random.Random, types: list[str]) -> dict[str, Any]:
    word_map_choices = {
        " - ": ", ",
        "Not Applicable": "",
        "colour": "color",
        "Cheap": "Affordable",
        "tech": "technology",
        "Rose": "Pink",
        "v2": "v3",
        "very long": "long",
    }
    word_map = {k: v for k, v in word_map_choices.items() if rng.random() < 0.4}
    forbidden = [
        w for w in ["shopper barrier", "shopping barrier", "cheap", "obsolete", "sun", "Kelvin"] if rng.random() < 0.35
    ]
    entities = [e for e in ENTITIES if rng.random() < 0.35]
    entity_map = {
        e: rng.choice(["Colour", "Size", "colour", "Volume", "Material", "Long Product Name"]) for e in entities[:2]
    }
    families = {"title": "title", "bullets": "bullets", "desc": "string"}
    if rng.random() < 0.3:
        families["extra"] = rng.choice(["bullets", "title", "string"])
    content_types: dict[str, Any] = {}
    for name in types:
        cfg: dict[str, Any] = {"task": f"Write 5 {name}." if rng.random() < 0.5 else f"Write {name}."}
        if rng.random() < 0.85:
            cfg["character_limit"] = rng.choice([12, 30, 45, 60, 80, 100, 150, 250, 400, 1000])
        if rng.random() < 0.5:
            chosen = rng.sample(TEMPLATES, rng.randint(1, 2))
            targets = [name, f"{name}_1", f"{name}_2", "title", "bullets_1", "desc"]
            cfg["additions"] = {rng.choice(targets): t for t in chosen}
        groups: dict[str, list[str]] = {}
        for kind in ("must", "should", "omit", "verbatim_must_claims", "non_verbatim_optional_claims"):
            if rng.random() < 0.45:
                groups[kind] = rng.sample(["title", "generic", "avoid", "claims", "claims2", "optional", "none"], 2)
        cfg["keyword_groups"] = groups
        content_types[name] = cfg
    client: dict[str, Any] = {
        "forbidden_words": forbidden,
        "content_type_family_map": families,
        "field_map": rng.choice(
            [{}, {"brand": "Brand", "long_product_name": "Long Product Name"}, {"colour": "Color", "size": "Size"}]
        ),
        "validation_entities": entities,
        "false_words_entity_map": entity_map,
        "variant_data_fields": rng.sample(["Colour", "Size", "colour", "Volume"], rng.randint(0, 2)),
    }
    if rng.random() < 0.5:
        client["prompt_attributes"] = rng.sample(["Long Product Name", "Brand", "Colour", "Size", "how_to_use"], 3)
    if rng.random() < 0.2:
        client["skip_content_types"] = [rng.choice(types)]
    config: dict[str, Any] = {"word_map": word_map, "client": client, "content_types": content_types}
    if rng.random() < 0.3:
        config["keyword_groups"] = {"must": ["generic"]}
    return config


def _product(rng: random.Random, i: int, group: str | None, kind: str) -> ProductData:
    colour, size = rng.choice(COLOURS), rng.choice(SIZES)
    name = rng.choice([f"QuantumTech {kind} {100 + i}", f"{kind} {colour}", f"quantumtech {kind.lower()} {size}"])
    attributes: list[dict[str, Any]] = [
        {"name": "long_product_name", "value": f"{name} in {colour}"},
        {"name": rng.choice(["brand", "Brand"]), "value": rng.choice(["QuantumTech", "Quantum", ""])},
        {"name": rng.choice(["colour", "Colour", "color"]), "value": colour},
        {"name": rng.choice(["size", "Size", "Volume"]), "value": size},
    ]
    if rng.random() < 0.4:
        attributes.append({"name": rng.choice(["how_to_use", "Directions"]), "value": _text(rng, [], 8)})
    if rng.random() < 0.3:
        attributes.append({"name": "Material", "value": rng.choice(["Steel", "steel", "Glass", "caf\u00e9 oak"])})
    if rng.random() < 0.2:
        attributes.append({"name": "sub_brand", "value": rng.choice(["Pro", "Lite", ""])})
    keywords = {
        "generic": rng.sample(["tech", kind.lower(), "gadget", "all-day", "premium", "sun"], rng.randint(0, 3)),
        "title": rng.sample(["Quantum", kind, "v2", "Tech-savvy"], rng.randint(0, 2)),
        "avoid": rng.sample(["obsolete", "cheap", "Kelvin", "tech"], rng.randint(0, 2)),
        "claims": rng.sample(CLAIMS, rng.randint(0, 2)),
        "claims2": rng.sample(CLAIMS, rng.randint(0, 1)),
        "optional": rng.sample(["Loved by many", "Great value", "Works with everything."], rng.randint(0, 2)),
    }
    reviews = [
        {"review_id": f"R{i}{j}", "review_text": _text(rng, [kind], rng.randint(1, 30)), "cust": "c"}
        for j in range(rng.randint(0, 2))
    ]
    description = _text(rng, [name, colour, size, kind], rng.randint(0, 40))
    return ProductData(
        product_id=str(1000 + i),
        name=name,
        description=description,
        brand=rng.choice(["QuantumTech", "Quantum", "", "quantumtech"]),
        market="uk",
        language="en",
        variant_group_id=group,
        keywords=keywords,
        reviews=reviews,
        attributes=attributes,
    )


def _answer(rng: random.Random, names: Sequence[str], products: Sequence[ProductData]) -> dict[str, Any]:
    """A provider-like answer: each type a random text (or a list of them, or nothing)."""
    extra = [p.name for p in products] + [str(a["value"]) for p in products for a in p.attributes]
    extra += [str(c) for p in products for c in p.keywords.get("claims", [])]
    out: dict[str, Any] = {}
    for name in names:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.45:
            out[name] = [_text(rng, extra, rng.randint(0, 25)) for _ in range(rng.randint(0, 6))]
        elif roll < 0.5:
            out[name] = "\n- " + "\n- ".join(_text(rng, extra, 6) for _ in range(3))
        else:
            out[name] = _text(rng, extra, rng.randint(0, 90))
    return out


class _Scripted:
    """A provider that gives the case's answers in order (the first call, then the shortening call)."""

    name = "scripted"

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.calls = 0

    async def generate_json(self, **_: Any) -> StructuredResult:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return StructuredResult(data=answer, usage=Usage(1, 1), model="scripted")


def _safe(run: Any) -> Any:
    try:
        return run()
    except Exception as exc:  # an outcome too: the same inputs must fail the same way
        return f"error: {type(exc).__name__}"


def _warnings(found: Sequence[Any]) -> list[list[str]]:
    return [[w.content_type, w.code, w.description] for w in found]


def outcome(index: int, seed: int = SEED) -> dict[str, Any]:
    """Everything case ``index`` gives (JSON-ready)."""
    rng = random.Random(f"{seed}:{index}")
    names = rng.sample(TYPES, rng.randint(1, 4))
    if rng.random() < 0.6:
        names = ["title", "bullets", "desc", *[n for n in names if n not in ("title", "bullets", "desc")]][:4]
    config = _config(rng, names)
    kind = rng.choice(KINDS)
    size = rng.choice([1, 1, 2, 3])
    group_id = f"G{index}" if size > 1 or rng.random() < 0.7 else None
    group = [_product(rng, index * 10 + j, group_id, kind) for j in range(size)]
    spec = build_spec(list(names), config)
    effective = guard_config(config, spec)
    options = RunOptions(market="uk", channel="shop", language="en", feedback=[], model="m")
    type_names = [t.name for t in spec.content_types]
    answers = [_answer(rng, type_names, group), _answer(rng, type_names, group)]
    result: dict[str, Any] = {}

    async def jobs() -> None:
        async def offline() -> Any:
            entries, _, model = await generate_group(group, spec, config, None, options, effective)
            return [entries, model]

        async def provided() -> Any:
            entries, usage, model = await generate_group(group, spec, config, _Scripted(answers), options)
            return [entries, usage.total_tokens, model]

        for key, job in (("offline", offline), ("provider", provided)):
            try:
                result[key] = await job()
            except Exception as exc:
                result[key] = f"error: {type(exc).__name__}"

    asyncio.run(jobs())
    result["composed"] = _safe(lambda: compose(group, spec))

    content = answers[0]
    for product in group:
        siblings = [p.document() for p in group if p is not product]
        rules = build_rules(effective, product.document(), type_names, siblings=siblings)
        shaped = {n: v for n, v in content.items()}
        rendered = _safe(lambda: render_for(shaped, product, group[0], spec))  # noqa: B023
        if isinstance(rendered, str):
            result.setdefault("rendered", []).append(rendered)
            continue
        per: dict[str, Any] = {"rendered": rendered}
        for cut in (False, True):
            guarded = _safe(lambda: apply_guardrails(rendered, rules, cut=cut))  # noqa: B023
            if isinstance(guarded, str):
                per[f"cut={cut}"] = guarded
            else:
                per[f"cut={cut}"] = [guarded[0], _warnings(guarded[1])]
        per["budgets"] = _safe(lambda: length_budgets(rendered, rules))  # noqa: B023
        per["audit"] = _safe(lambda: _warnings(audit(rendered, rules)))  # noqa: B023
        per["attributes"] = rules.attributes
        per["entities"] = [[e.entity, list(e.true_values), list(e.false_values)] for e in rules.entities]
        texts = [_text(rng, [product.name], rng.randint(0, 30)) for _ in range(3)]
        protected = [v for c in rules.content_types[type_names[0]].claims for v in c.verbatim] if type_names else []
        per["ops"] = [op for text in texts for op in _text_ops(text, rules, config, protected, rng)]
        result.setdefault("products", []).append(per)
    return result


def _text_ops(text: str, rules: Any, config: dict[str, Any], protected: list[str], rng: random.Random) -> list[Any]:
    word_map = dict(config["word_map"])
    return [
        _safe(lambda: check_entities(text, rules.entities, protected=protected)),
        _safe(lambda: check_entities(text, rules.entities, replace=False)),
        _safe(lambda: textops.replace_phrases(text, word_map, protected=protected)),
        _safe(lambda: textops.remove_phrases(text, [*rules.forbidden_words, "tech"], protected=protected)),
        _safe(lambda: textops.phrases_in(text, [*COLOURS, "rose gold", "tech"])),
        _safe(lambda: textops.fit_to_limit(text, rng.randint(0, 120), protected)),
        _safe(lambda: textops.tidy(text)),
        _safe(lambda: quantities(text)),
    ]


def digest(value: Any) -> str:
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=True, default=repr).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def benchmark_outcome(products: int = BENCHMARK_PRODUCTS) -> list[Any]:
    """The offline entries of the benchmark's products (``python -m benchmarks --only offline``), in order."""
    from benchmarks.content_generation import CONTENT_CONFIG, CONTENT_TYPES, make_product
    from domain.content.pipeline import group_products
    from domain.content.products import from_request
    from domain.content.request import ProductIn

    items = [from_request(ProductIn.model_validate(make_product(i))) for i in range(products)]
    spec = build_spec(list(CONTENT_TYPES), CONTENT_CONFIG)
    effective = guard_config(CONTENT_CONFIG, spec)
    options = RunOptions(market="uk", channel="TechStore", language="en", feedback=[], model="offline")

    async def run() -> list[Any]:
        out = []
        for group in group_products(items, skip_grouping=True):
            out.append((await generate_group(group, spec, CONTENT_CONFIG, None, options, effective))[0])
        return out

    return asyncio.run(run())


def record(path: Path = FIXTURE, cases: int = CASES, seed: int = SEED) -> None:
    digests = [digest(outcome(i, seed)) for i in range(cases)]
    recorded = {"seed": seed, "cases": cases, "digests": digests, "benchmark": digest(benchmark_outcome())}
    path.write_text(json.dumps(recorded, indent=0) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        record()
    elif sys.argv[1:2] == ["--show"]:
        print(json.dumps(outcome(int(sys.argv[2])), indent=1, ensure_ascii=False, default=repr))
    else:
        print("usage: python -m tests.content.guardrail_corpus --record | --show INDEX")
