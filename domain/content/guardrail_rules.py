"""Builds the guardrail rules for one product from a (merged, validated) ``content_config``.

Keyword groups name groups of the product's ``keywords`` (``"must": ["title"]`` means every keyword in
``product.keywords["title"]``); a name the product has no group for contributes nothing. The config's
top-level ``keyword_groups`` apply to every content type, a content type's own ones add to them.
Entities to validate are ``client.validation_entities`` plus the keys of ``client.false_words_entity_map``;
an entity's true value is the product attribute the map names (PRODUCT_NAME: the product name), and its
known false values are the same attribute on the other products of the job (typically sibling variants).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
            key = normalise_name(str(item["name"]))
            if key not in attrs:
                attrs[key] = str(item["value"])
    for name, normalised in _PRODUCT_FIELD_NAMES:
        if name in product and normalised not in attrs:
            value = product[name]
            if value not in (None, ""):
                attrs[normalised] = str(value)
    for key, display in (field_map or {}).items():
        k, d = normalise_name(key), normalise_name(display)
        if k in attrs:
            if d not in attrs:
                attrs[d] = attrs[k]
        elif d in attrs:
            attrs[k] = attrs[d]
    return attrs


def resolve_groups(names: Sequence[str] | None, keywords: Mapping[str, Any] | None) -> list[str]:
    """The keywords of the named groups of ``product.keywords``, in order, without duplicates."""
    if not names:
        return []
    if not names[1:]:  # one group (a list, a string, or anything else: no keyword)
        group = (keywords or {}).get(names[0])
        items = tuple(group) if isinstance(group, list) else (group,) if isinstance(group, str) else ()
    else:
        items = _group_items(names, keywords or {})
    try:
        return list(_resolved(items))
    except TypeError:  # an item that cannot be hashed (not a string: never a keyword)
        return _resolve_items(items)


def _group_items(names: Sequence[str], keywords: Mapping[str, Any]) -> tuple[Any, ...]:
    """Every item of the named groups, in order (a string group is one item; any other kind is none)."""
    out: list[Any] = []
    for name in names:
        group = keywords.get(name)
        if isinstance(group, list):
            out += group
        elif isinstance(group, str):
            out.append(group)
    return tuple(out)


def _resolve_items(items: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, str) and item.strip() and item not in out:
            out.append(item.strip())
    return out


@lru_cache(maxsize=4096)
def _resolved(items: tuple[Any, ...]) -> tuple[str, ...]:
    """``_resolve_items`` remembered per sequence of items (products of a job share most keyword groups)."""
    return tuple(_resolve_items(items))


@lru_cache(maxsize=4096)
def _claims_of(raw: tuple[str, ...]) -> tuple[Claim, ...]:
    """The distinct claims of a group's verbatim claims (Claim is immutable: shared between products)."""
    return tuple(_dedupe_claims(parse_claim(c) for c in raw))


def _entity_values(
    entity: str, attr_name: str | None, attrs: Mapping[str, str], product: Mapping[str, Any]
) -> list[str]:
    if entity == "PRODUCT_NAME":
        name = product.get("product_name")
        return [str(name)] if name else []
    for candidate in _entity_candidates(entity, attr_name):
        value = attrs.get(candidate)
        if value:
            return [value]
    return []


@lru_cache(maxsize=1024)
def _entity_candidates(entity: str, attr_name: str | None) -> tuple[str, ...]:
    """The normalised attribute names an entity's value is looked for under, in order."""
    candidates = [attr_name] if attr_name else []
    candidates.append(entity)
    if entity in _COLOUR_ENTITIES:
        candidates += ["colour", "color"]
    return tuple(normalise_name(c) for c in candidates)


@dataclass(frozen=True)
class _TypePlan:
    """What a content type's rules take from the configuration (the product's keywords fill in the rest)."""

    name: str
    family: str
    character_limit: Any
    must: tuple[str, ...]
    omit: tuple[str, ...]
    claims: tuple[str, ...]
    additions: dict[str, str]  # copied for each product's rules


@dataclass(frozen=True)
class _Plan:
    """Everything ``build_rules`` reads from the configuration, worked out once per configuration."""

    field_map: Mapping[str, str]
    types: tuple[_TypePlan, ...]
    entities: tuple[tuple[str, str | None, tuple[str, ...], bool], ...]  # key, attribute, vocabulary, quantities
    word_map: dict[str, str]  # copied for each product's rules
    forbidden_words: tuple[str, ...]


def _make_plan(content_config: Mapping[str, Any], content_types: tuple[str, ...]) -> _Plan:
    client: Mapping[str, Any] = content_config.get("client") or {}
    family_map: Mapping[str, str] = client.get("content_type_family_map") or {}
    shared_groups: Mapping[str, Any] = content_config.get("keyword_groups") or {}
    type_configs: Mapping[str, Any] = content_config.get("content_types") or {}
    types: list[_TypePlan] = []
    for name in content_types:
        cfg: Mapping[str, Any] = type_configs.get(name) or {}
        groups: Mapping[str, Any] = cfg.get("keyword_groups") or {}

        def names(key: str, groups: Mapping[str, Any] = groups) -> tuple[str, ...]:
            return (*(shared_groups.get(key) or []), *(groups.get(key) or []))

        types.append(
            _TypePlan(
                name=name,
                family=family_of(name, family_map),
                character_limit=cfg.get("character_limit"),
                must=names("must"),
                omit=names("omit"),
                claims=names("verbatim_must_claims"),
                additions=dict(cfg.get("additions") or {}),
            )
        )
    entity_map: Mapping[str, str] = client.get("false_words_entity_map") or {}
    entity_names = list(dict.fromkeys([*(client.get("validation_entities") or []), *entity_map]))
    entities = []
    for entity in entity_names:
        key = str(entity).upper()
        vocabulary = COLOUR_WORDS if key in _COLOUR_ENTITIES else ()
        entities.append((key, entity_map.get(entity), vocabulary, key in _QUANTITY_ENTITIES))
    return _Plan(
        field_map=dict(client.get("field_map") or {}),
        types=tuple(types),
        entities=tuple(entities),
        word_map=dict(content_config.get("word_map") or {}),
        forbidden_words=tuple(client.get("forbidden_words") or []),
    )


# The plans of the last few configurations, by the configuration's identity, each with a copy of the
# configuration it was made from: a plan is used only for the same object holding the same values (a job builds
# the rules of every product from one configuration; a configuration changed in place gets a new plan).
_PLANS: dict[tuple[int, tuple[str, ...]], tuple[Mapping[str, Any], Any, _Plan]] = {}
_PLANS_KEPT = 16


def _plan(content_config: Mapping[str, Any], content_types: Sequence[str]) -> _Plan:
    names = tuple(content_types)
    key = (id(content_config), names)
    entry = _PLANS.get(key)
    if entry is not None and entry[0] is content_config and entry[1] == content_config:
        return entry[2]
    plan = _make_plan(content_config, names)
    try:
        snapshot = copy.deepcopy(content_config)
    except Exception:  # a configuration that cannot be copied is planned each time
        return plan
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.clear()
    _PLANS[key] = (content_config, snapshot, plan)
    return plan


def build_rules(
    content_config: Mapping[str, Any],
    product: Mapping[str, Any],
    content_types: Sequence[str],
    *,
    siblings: Sequence[Mapping[str, Any]] = (),
) -> GuardrailRules:
    plan = _plan(content_config, content_types)
    field_map = plan.field_map
    keywords: Mapping[str, Any] = product.get("keywords") or {}
    attrs = product_attributes(product, field_map)

    types: dict[str, ContentTypeRules] = {}
    for t in plan.types:
        claims = resolve_groups(t.claims, keywords) if t.claims else []
        types[t.name] = ContentTypeRules(
            family=t.family,
            character_limit=t.character_limit,
            must_keywords=resolve_groups(t.must, keywords) if t.must else [],
            omit_keywords=resolve_groups(t.omit, keywords) if t.omit else [],
            claims=list(_claims_of(tuple(claims))) if claims else [],
            additions=dict(t.additions),
        )

    entities: list[EntityRule] = []
    sibling_attrs = [product_attributes(sibling, field_map) for sibling in siblings] if plan.entities else []
    for key, attribute, vocabulary, quantities in plan.entities:
        truth = _entity_values(key, attribute, attrs, product)
        false: list[str] = []
        for sibling, their_attrs in zip(siblings, sibling_attrs, strict=True):
            for value in _entity_values(key, attribute, their_attrs, sibling):
                if value.lower() not in {t.lower() for t in truth} and value not in false:
                    false.append(value)
        entities.append(_entity_rule(key, tuple(truth), tuple(false), vocabulary, quantities))

    return GuardrailRules(
        word_map=dict(plan.word_map),
        forbidden_words=list(plan.forbidden_words),
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
