"""The offline composer: deterministic content written from the product data when no AI provider is set.

It writes every content type from what the product says about itself, never inventing facts:

- titles: brand and product name, then the key attributes (``prompt_attributes`` order) that fit the limit;
- bullets: verbatim must-claims, attributes ("Colour: Black."), optional claims, the description's sentences,
  a review highlight, and the search keywords;
- descriptions: the product description, an attribute sentence, the claims, the keywords and a review;
- how-to-use texts: a ``how_to_use``-like attribute when the product has one.

For a variant group it writes ``{{variant.<Field>}}`` where a variant data field's value goes, exactly like
the provider prompt asks the model to. The guardrails then run on its output as on any provider's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from domain.content.guardrails import parse_claim
from domain.content.products import ProductData, norm
from domain.content.prompt import prompt_attributes, search_keywords, variant_fields
from domain.content.spec import GenerationSpec, TypeSpec

Content = dict[str, str | list[str]]
_HOW_TO = ("howtouse", "usage", "directions", "instructions", "howto")
_NOT_IN_TITLE = (*_HOW_TO, "ingredients", "warnings", "description")
_OWN_NAMES = frozenset({"brand", "productname", "longproductname"})


_SPACE = re.compile(r"\s+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


@lru_cache(maxsize=4096)
def _sentence(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _sentences(text: str) -> list[str]:
    return [_sentence(s) for s in _SENTENCE_BREAK.split(text.strip()) if s.strip()]


class _Facts:
    """What the composer may say about a product (or group, with placeholders for variant fields)."""

    def __init__(self, product: ProductData, spec: GenerationSpec, *, grouped: bool) -> None:
        self.product = product
        self.spec = spec
        variant = {norm(f) for f in variant_fields(spec)} if grouped else set()
        self.attributes: list[tuple[str, str]] = []
        own = (product.brand.lower(), product.name.lower())
        for name, value in prompt_attributes(product, spec):
            if norm(name) in _OWN_NAMES and value.lower() in own:
                continue
            shown = f"{{{{variant.{name}}}}}" if norm(name) in variant else value
            self.attributes.append((name, shown))
        for field_name in variant_fields(spec) if grouped else []:
            if norm(field_name) not in {norm(n) for n, _ in self.attributes}:
                if product.attribute(field_name, spec.field_map):
                    self.attributes.append((field_name, f"{{{{variant.{field_name}}}}}"))

        # What several content types use, worked out once per product (read-only).
        self.description_sentences: tuple[str, ...] = tuple(_sentences(product.description))
        self.highlight = ""
        for review in product.reviews:
            text = str(review.get("review_text", "")).strip()
            if 10 <= len(text) <= 160:
                self.highlight = f"Customers say: \u201c{text}\u201d"
                break
        self._free_keywords: tuple[str, ...] | None = None

    @property
    def base_title(self) -> str:
        name, brand = self.product.name, self.product.brand
        return name if not brand or name.lower().startswith(brand.lower()) else f"{brand} {name}"

    def keywords(self, spec: TypeSpec, kind: str) -> list[str]:
        names = spec.keyword_groups.get(kind)
        return self.product.keyword_groups(names) if names else []

    def free_keywords(self) -> tuple[str, ...]:
        if self._free_keywords is None:
            self._free_keywords = tuple(search_keywords(self.product, self.spec))
        return self._free_keywords

    def search_keywords(self, spec: TypeSpec) -> list[str]:
        words = self.keywords(spec, "must") + self.keywords(spec, "should")
        if not words:
            words = list(self.free_keywords())
        omit = {w.lower() for w in self.keywords(spec, "omit")}
        return [w for w in dict.fromkeys(words) if w.lower() not in omit] if omit else list(dict.fromkeys(words))

    def review_highlight(self) -> str:
        return self.highlight

    def how_to_use(self) -> str:
        for attr in self.product.attributes:
            if norm(str(attr.get("name", ""))) in _HOW_TO and attr.get("value"):
                return _sentence(str(attr["value"]))
        return ""


def _title(facts: _Facts, spec: TypeSpec) -> str:
    limit = spec.character_limit or 150
    title = facts.base_title
    low = title.lower()
    # Short, identifying attributes only (a colour, a size); never instructions or long texts.
    extras = [
        v
        for n, v in facts.attributes
        if v.lower() not in low and norm(n) not in _NOT_IN_TITLE and len(v) <= 40 and len(v.split()) <= 4
    ]
    extras += [k for k in facts.keywords(spec, "must") if k.lower() not in low]
    for extra in extras:
        candidate = f"{title}, {extra}"
        if len(candidate) <= limit:
            title = candidate
    return title


def _bullets(facts: _Facts, spec: TypeSpec) -> list[str]:
    count = spec.bullet_count
    out: list[str] = []
    claims = facts.keywords(spec, "verbatim_must_claims")
    for raw in claims:
        claim = parse_claim(raw)
        text = claim.text if claim.text[-1:] in ".!?*" else f"{claim.text}."
        out.append(text if claim.disclaimer is None else f"{text} {claim.disclaimer}")
    out += [f"{name[:1].upper()}{name[1:]}: {value}." for name, value in facts.attributes]
    for raw in facts.keywords(spec, "non_verbatim_optional_claims"):
        out.append(_sentence(raw))
    out += facts.description_sentences
    if facts.highlight:
        out.append(facts.highlight)
    keywords = facts.search_keywords(spec)
    if keywords:
        out.append(_sentence(f"Ideal for anyone looking for {', '.join(keywords[:4])}"))
    seen = list(dict.fromkeys(filter(None, out)))  # the first of each, in order
    return seen[: max(count, len(claims))]


def _description(facts: _Facts, spec: TypeSpec, *, short: bool) -> str:
    p = facts.product
    parts: list[str] = list(facts.description_sentences)
    if short:
        intro = _sentence(f"The {facts.base_title} by {p.brand}") if p.brand else ""
        return " ".join([*parts[:2], intro] if intro and intro not in parts else parts[:2])
    if facts.attributes:
        parts.append(_sentence("Key details: " + "; ".join(f"{n}: {v}" for n, v in facts.attributes)))
    for raw in facts.keywords(spec, "non_verbatim_optional_claims"):
        parts.append(_sentence(raw))
    keywords = facts.search_keywords(spec)
    if keywords:
        parts.append(_sentence(f"A great choice for anyone looking for {', '.join(keywords[:5])}"))
    if facts.highlight:
        parts.append(facts.highlight)
    disclaimers: list[str] = []
    for raw in facts.keywords(spec, "verbatim_must_claims"):
        claim = parse_claim(raw)
        parts.append(claim.text if claim.text[-1:] in ".!?*" else f"{claim.text}.")
        if claim.disclaimer:
            disclaimers.append(claim.disclaimer)
    return " ".join([*parts, *disclaimers])


def _howto(facts: _Facts) -> str:
    found = facts.how_to_use()
    if found:
        return found
    return _sentence(f"Follow the instructions supplied with the {facts.base_title}")


def compose(products: Sequence[ProductData], spec: GenerationSpec) -> Content:
    """Content for one product or a variant group (``products[0]`` is the main product)."""
    facts = _Facts(products[0], spec, grouped=len(products) > 1)
    content: Content = {}
    for t in spec.content_types:
        if t.family == "bullets":  # t.is_list
            content[t.name] = _bullets(facts, t)
        elif t.family == "title":
            content[t.name] = _title(facts, t)
        elif "howto" in t.name.replace("_", ""):
            content[t.name] = _howto(facts)
        else:
            content[t.name] = _description(facts, t, short=t.name.startswith("short") or "meta" in t.name)
    return content
