"""Classifying one product: candidates from the taxonomy index, then the choice.

- **Candidates**: the offline ranking (``ranking.rank``) over the channel's index gives the ten best
  categories (GPC: bricks; GPC ranking also reads the best Google category's path as context). It runs in a
  worker thread: the first call builds the indexes.
- **Choice**: offline, the top candidate. With a text provider, one structured call shows the model the
  product and the candidates (code, full path, and for GPC what the brick includes and excludes) and asks it
  to pick one; the JSON schema lists only the candidates' codes. An answer that is not one of them (a code
  outside the candidates, or not a code at all) is never returned: the top candidate is, with a
  ``MODEL_CHOICE_REJECTED`` warning; so is it when the provider keeps failing (``MODEL_UNAVAILABLE``).
- **Confidence**: offline, the top candidate's share of the retrieval softmax (``ranking``); with a model, the
  mean of the chosen candidate's share and the model's vote for it (1): a choice the model and the
  retrieval agree on scores high, a candidate only the model liked scores about one half.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from domain.ai.ports import ProviderError, ProviderSet, TextProvider, Usage
from domain.content.classification.index import index_for
from domain.content.classification.ranking import Candidate, ProductText, context_from, rank
from domain.content.classification.request import ClassificationProduct
from domain.content.classification.taxonomy import GPC_LEVELS, Channel, Taxonomy, load, titles
from domain.errors import DomainError

CANDIDATES = 10
MODEL_CHOICE_REJECTED = "MODEL_CHOICE_REJECTED"  # the model answered something that is not a candidate
MODEL_UNAVAILABLE = "MODEL_UNAVAILABLE"  # the provider kept failing
OFFLINE = "offline"
_DEFINITION_CHARS = 280


class Unclassifiable(DomainError, status=422, code="unclassifiable"):
    """No word of the product matches any category of the taxonomy."""


@dataclass(frozen=True)
class ClassificationWarning:
    code: str
    description: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "description": self.description}


@dataclass(frozen=True)
class Outcome:
    channel: Channel
    locale: str
    code: int
    confidence: float
    candidates: list[Candidate]
    warnings: list[ClassificationWarning] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    model: str = OFFLINE


def product_text(product: ClassificationProduct) -> ProductText:
    return ProductText(
        name=product.product_name,
        description=product.product_description,
        attributes=tuple((a.name, a.text) for a in product.product_attributes),
    )


def candidates_for(channel: Channel, product: ProductText, limit: int = CANDIDATES) -> list[Candidate]:
    """The best categories of ``channel`` for the product, best first (blocking: run it in a thread)."""
    index = index_for(channel)
    context = context_from(index_for("google"), product) if channel == "gpc" else ""
    return rank(index, product, limit=limit, context=context)


# --- the model's choice ---------------------------------------------------------------------------------


def _describe(taxonomy: Taxonomy, code: int) -> str:
    line = f"- {code}: {titles(taxonomy.path(code))}"
    category = taxonomy[code]
    if category.includes:
        line += f"\n  includes: {category.includes[:_DEFINITION_CHARS]}"
    if category.excludes:
        line += f"\n  excludes: {category.excludes[:_DEFINITION_CHARS]}"
    return line


def choice_prompt(taxonomy: Taxonomy, product: ProductText, candidates: list[Candidate]) -> tuple[str, str]:
    name = "GS1 Global Product Classification (GPC)" if taxonomy.channel == "gpc" else "Google Product Taxonomy"
    system = (
        f"You classify retail products into the {name}, version {taxonomy.version}. You are given a product and "
        "candidate categories found in the taxonomy. Choose the one candidate that best describes what the "
        "product is (not what it is used with). Answer only with one of the candidates' codes; never a code "
        "that is not listed."
    )
    attributes = "\n".join(f"- {n}: {v}" for n, v in product.attributes)
    listed = "\n".join(_describe(taxonomy, c.code) for c in candidates)
    user = (
        f"Product name: {product.name}\nDescription: {product.description}\nAttributes:\n{attributes}\n\n"
        f"Candidate categories (code: path):\n{listed}"
    )
    return system, user


def choice_schema(candidates: list[Candidate]) -> dict[str, Any]:
    """Strict-mode JSON schema: the chosen code (one of the candidates) and a short reason."""
    return {
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": [str(c.code) for c in candidates]},
            "reason": {"type": "string"},
        },
        "required": ["code", "reason"],
        "additionalProperties": False,
    }


def _chosen_code(data: dict[str, Any]) -> int | None:
    raw = data.get("code")
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


async def choose(
    provider: TextProvider, model: str, taxonomy: Taxonomy, product: ProductText, candidates: list[Candidate]
) -> tuple[Candidate, float, list[ClassificationWarning], Usage, str]:
    system, user = choice_prompt(taxonomy, product, candidates)
    try:
        result = await provider.generate_json(
            system=system,
            user=user,
            schema=choice_schema(candidates),
            schema_name="product_classification",
            temperature=0.0,
            model=model,
        )
    except ProviderError as exc:
        # The candidates are an answer on their own: fall back to the best one rather than fail. A provider
        # that checks answers against the schema (ours does) reports a code outside the enum this way.
        code_name = MODEL_CHOICE_REJECTED if "invalid answer" in exc.message else MODEL_UNAVAILABLE
        warning = ClassificationWarning(
            code_name,
            f"The model's answer could not be used ({exc.message}); the best candidate by retrieval "
            f"({candidates[0].code}) was used instead.",
        )
        return candidates[0], candidates[0].probability, [warning], Usage(), model
    code = _chosen_code(result.data)
    by_code = {c.code: c for c in candidates}
    if code is not None and code in by_code:
        chosen = by_code[code]
        return chosen, (chosen.probability + 1.0) / 2, [], result.usage, result.model
    shown = json.dumps(result.data.get("code"))[:40]
    warning = ClassificationWarning(
        MODEL_CHOICE_REJECTED,
        f"The model answered {shown}, which is not one of the {len(candidates)} candidate categories; "
        f"the best candidate by retrieval ({candidates[0].code}) was used instead.",
    )
    return candidates[0], candidates[0].probability, [warning], result.usage, result.model


async def classify(
    product: ClassificationProduct,
    channel: Channel,
    locale: str,
    providers: ProviderSet,
    *,
    on_candidates: Callable[[list[Candidate]], Awaitable[None]] | None = None,
) -> Outcome:
    """The product's category in ``channel``: a code the taxonomy holds, always. ``on_candidates`` hears
    about the candidates before the model is asked (a job's progress)."""
    text = product_text(product)
    candidates = await asyncio.to_thread(candidates_for, channel, text)
    if not candidates:
        raise Unclassifiable(
            "No word of the product's name, description or attributes matches a category of the "
            f"{'GPC' if channel == 'gpc' else 'Google'} taxonomy; describe what the product is."
        )
    if on_candidates is not None:
        await on_candidates(candidates)
    if providers.text is None:
        top = candidates[0]
        return Outcome(channel, locale, top.code, top.probability, candidates)
    taxonomy = load(channel)
    chosen, confidence, warnings, usage, used = await choose(
        providers.text, providers.model, taxonomy, text, candidates
    )
    return Outcome(channel, locale, chosen.code, confidence, candidates, warnings, usage, used)


# --- the document's shapes ------------------------------------------------------------------------------


def node_json(taxonomy: Taxonomy, code: int) -> dict[str, Any]:
    category = taxonomy[code]
    return {"code": category.code, "title": category.title}


def classification_json(channel: Channel, code: int) -> dict[str, Any]:
    """GPC: ``{"segment", "family", "class", "brick"}``, each ``{"code", "title"}`` (the document's shape;
    brick attributes are left out: the shipped GPC data has none). Google: ``{"category": {"code", "title"},
    "path": [{"code", "title"}, ... from the top level down to the category]}``."""
    taxonomy = load(channel)
    path = taxonomy.path(code)
    if channel == "gpc":
        return {level: {"code": c.code, "title": c.title} for level, c in zip(GPC_LEVELS, path, strict=True)}
    return {"category": node_json(taxonomy, code), "path": [{"code": c.code, "title": c.title} for c in path]}


def result_json(outcome: Outcome) -> dict[str, Any]:
    """The job's result (and the synchronous answer's extra fields), in the document's order."""
    return {
        "classification": classification_json(outcome.channel, outcome.code),
        "channel": outcome.channel,
        "locale": outcome.locale,
        "version": load(outcome.channel).version,
        "confidence": round(outcome.confidence, 2),
        "warnings": [w.as_dict() for w in outcome.warnings],
    }
