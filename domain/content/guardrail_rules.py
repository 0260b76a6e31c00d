"""Builds the guardrail rules for one product from a (merged, validated) ``content_config``.

Keyword groups name groups of the product's ``keywords`` (``"must": ["title"]`` means every keyword in
``product.keywords["title"]``); a name the product has no group for contributes nothing. The config's
top-level ``keyword_groups`` apply to every content type, a content type's own ones add to them.
Entities to validate are ``client.validation_entities`` plus the keys of ``client.false_words_entity_map``;
an entity's true value is the product attribute the map names (PRODUCT_NAME: the product name), and its
known false values are the same attribute on the other products of the job (typically sibling variants).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from domain.content.guardrails import Claim, ContentTypeRules, EntityRule, GuardrailRules, normalise_name, parse_claim

COLOUR_WORDS: tuple[str, ...] = (
    "beige", "black", "blue", "bronze", "brown", "burgundy", "charcoal", "copper", "cream", "gold", "green",
    "grey", "gray", "ivory", "khaki", "lavender", "lilac", "magenta", "maroon", "mint", "navy", "olive",
    "orange", "pink", "purple", "red", "rose gold", "silver", "teal", "turquoise", "violet", "white", "yellow",
)  # fmt: skip
_COLOUR_ENTITIES = frozenset({"COLOR", "COLOUR"})
_QUANTITY_ENTITIES = frozenset({"SIZE", "VOLUME", "WEIGHT", "CAPACITY", "DIMENSIONS", "STORAGE"})
_PRODUCT_FIELDS = ("brand", "product_name", "product_description", "market", "language", "variant_group_id")


_PRODUCT_FIELD_NAMES = tuple((name, normalise_name(name)) for name in _PRODUCT_FIELDS)


def family_of(content_type: str, family_map: Mapping[str, str] | None = None) -> str:
    """``client.content_type_family_map`` first; otherwise by name (…bullets → bullets, …title → title)."""
    if family_map and content_type in family_map:
        return family_map[content_type]
    if "bullet" in content_type:
        return "bullets"
    if "title" in content_type:
        return "title"
    return "string"


def product_attributes(product: Mapping[str, Any], field_map: Mapping[str, str] | None = None) -> dict[str, str]:
    """Normalised attribute name → value. ``field_map`` aliases (``brand`` ↔ ``Brand``) resolve both ways;
    the product's own fields (brand, product_name, …) fill in attributes that are not given."""
    attrs: dict[str, str] = {}
    for item in product.get("attributes") or []:
        # (a dict first: the ABC's isinstance is slower, and products hold dicts)
        is_mapping = isinstance(item, dict) or isinstance(item, Mapping)
        if is_mapping and item.get("name") and item.get("value") not in (None, ""):
            attrs.setdefault(normalise_name(str(item["name"])), str(item["value"]))
    for name, normalised in _PRODUCT_FIELD_NAMES:
        value = product.get(name)
        if value not in (None, ""):
            attrs.setdefault(normalised, str(value))
    for key, display in (field_map or {}).items():
        k, d = normalise_name(key), normalise_name(display)
        if k in attrs:
            attrs.setdefault(d, attrs[k])
        elif d in attrs:
            attrs[k] = attrs[d]
    return attrs


def resolve_groups(names: Sequence[str] | None, keywords: Mapping[str, Any] | None) -> list[str]:
    """The keywords of the named groups of ``product.keywords``, in order, without duplicates."""
    out: list[str] = []
    for name in names or []:
        group = (keywords or {}).get(name)
        items = group if isinstance(group, list) else [group] if isinstance(group, str) else []
        for item in items:
            if isinstance(item, str) and item.strip() and item not in out:
                out.append(item.strip())
    return out


def _entity_values(
    entity: str, attr_name: str | None, attrs: Mapping[str, str], product: Mapping[str, Any]
) -> list[str]:
    if entity == "PRODUCT_NAME":
        name = product.get("product_name")
        return [str(name)] if name else []
    candidates = [attr_name] if attr_name else []
    candidates.append(entity)
    if entity in _COLOUR_ENTITIES:
        candidates += ["colour", "color"]
    for candidate in candidates:
        value = attrs.get(normalise_name(candidate))
        if value:
            return [value]
    return []


def build_rules(
    content_config: Mapping[str, Any],
    product: Mapping[str, Any],
    content_types: Sequence[str],
    *,
    siblings: Sequence[Mapping[str, Any]] = (),
) -> GuardrailRules:
    client: Mapping[str, Any] = content_config.get("client") or {}
    field_map: Mapping[str, str] = client.get("field_map") or {}
    family_map: Mapping[str, str] = client.get("content_type_family_map") or {}
    keywords: Mapping[str, Any] = product.get("keywords") or {}
    attrs = product_attributes(product, field_map)
    shared_groups: Mapping[str, Any] = content_config.get("keyword_groups") or {}
    type_configs: Mapping[str, Any] = content_config.get("content_types") or {}

    types: dict[str, ContentTypeRules] = {}
    for name in content_types:
        cfg: Mapping[str, Any] = type_configs.get(name) or {}
        groups: Mapping[str, Any] = cfg.get("keyword_groups") or {}

        def names(key: str, groups: Mapping[str, Any] = groups) -> list[str]:
            return [*(shared_groups.get(key) or []), *(groups.get(key) or [])]

        claims = resolve_groups(names("verbatim_must_claims"), keywords)
        types[name] = ContentTypeRules(
            family=family_of(name, family_map),
            character_limit=cfg.get("character_limit"),
            must_keywords=resolve_groups(names("must"), keywords),
            omit_keywords=resolve_groups(names("omit"), keywords),
            claims=_dedupe_claims(parse_claim(c) for c in claims) if claims else [],
            additions=dict(cfg.get("additions") or {}),
        )

    entity_map: Mapping[str, str] = client.get("false_words_entity_map") or {}
    entity_names = list(dict.fromkeys([*(client.get("validation_entities") or []), *entity_map]))
    entities: list[EntityRule] = []
    for entity in entity_names:
        key = str(entity).upper()
        truth = _entity_values(key, entity_map.get(entity), attrs, product)
        false: list[str] = []
        for sibling in siblings:
            sibling_attrs = product_attributes(sibling, field_map)
            for value in _entity_values(key, entity_map.get(entity), sibling_attrs, sibling):
                if value.lower() not in {t.lower() for t in truth} and value not in false:
                    false.append(value)
        vocabulary = COLOUR_WORDS if key in _COLOUR_ENTITIES else ()
        entities.append(_entity_rule(key, tuple(truth), tuple(false), vocabulary, key in _QUANTITY_ENTITIES))

    return GuardrailRules(
        word_map=dict(content_config.get("word_map") or {}),
        forbidden_words=list(client.get("forbidden_words") or []),
        content_types=types,
        attributes=attrs,
        entities=entities,
    )


@lru_cache(maxsize=4096)
def _entity_rule(
    entity: str, truth: tuple[str, ...], false: tuple[str, ...], vocabulary: tuple[str, ...], quantities: bool
) -> EntityRule:
    """One (immutable) rule per distinct definition: what it derives once (truths, verdicts) serves every product
    that has the same values, e.g. every black product of a job."""
    return EntityRule(entity, truth, false, vocabulary, quantities)


def _dedupe_claims(claims: Any) -> list[Claim]:
    out: list[Claim] = []
    for claim in claims:
        if claim not in out:
            out.append(claim)
    return out
