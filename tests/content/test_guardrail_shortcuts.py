"""The shortcuts of issue 13's third offline pass give what the plain way gives: rules planned once per
configuration (and planned again when it changes in place), keyword groups remembered per sequence of items,
additions rendered from remembered ends. The whole path's answers are tests/content/test_guardrail_corpus.py's."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from domain.content import guardrails
from domain.content.guardrail_rules import build_rules, resolve_groups
from domain.content.textops import tidy

CONFIG: dict[str, Any] = {
    "word_map": {" - ": ", ", "Not Applicable": ""},
    "keyword_groups": {"must": ["generic"]},
    "client": {
        "forbidden_words": ["shopper barrier"],
        "content_type_family_map": {"title": "title", "bullets": "bullets", "desc": "string"},
        "field_map": {"brand": "Brand"},
        "validation_entities": ["PRODUCT_NAME", "SIZE"],
        "false_words_entity_map": {"COLOR": "Colour"},
    },
    "content_types": {
        "title": {"character_limit": 100, "additions": {"title": "{{attr.brand}}, {{title}}"}},
        "bullets": {"character_limit": 250, "keyword_groups": {"verbatim_must_claims": ["claims"]}},
        "desc": {"character_limit": 1000, "keyword_groups": {"omit": ["avoid"], "must": ["title"]}},
    },
}
PRODUCT: dict[str, Any] = {
    "product_id": "1",
    "product_name": "Quantum Gadget",
    "product_description": "A gadget.",
    "brand": "QuantumTech",
    "keywords": {
        "generic": ["tech", " tech", "gadget"],
        "title": ["Quantum"],
        "avoid": ["obsolete"],
        "claims": ["'Claim': Two-year warranty*, 'Disclaimer': *Terms apply."],
    },
    "attributes": [{"name": "colour", "value": "Black"}, {"name": "Brand", "value": "QuantumTech"}],
}
SIBLING: dict[str, Any] = {**PRODUCT, "product_id": "2", "attributes": [{"name": "colour", "value": "Red"}]}
TYPES = ["title", "bullets", "desc"]


def test_rules_follow_a_configuration_changed_in_place() -> None:
    config = copy.deepcopy(CONFIG)
    first = build_rules(config, PRODUCT, TYPES, siblings=[SIBLING])
    assert first == build_rules(copy.deepcopy(config), PRODUCT, TYPES, siblings=[SIBLING])
    changes = [
        lambda c: c["word_map"].update({"gadget": "device"}),
        lambda c: c["client"]["forbidden_words"].append("tech"),
        lambda c: c["content_types"]["title"].update({"character_limit": 40}),
        lambda c: c["content_types"]["desc"]["keyword_groups"]["must"].append("generic"),
        lambda c: c["content_types"]["title"]["additions"].update({"title": "New: {{title}}"}),
        lambda c: c["client"]["false_words_entity_map"].update({"COLOR": "Brand"}),
        lambda c: c["client"]["content_type_family_map"].update({"desc": "title"}),
        lambda c: c.update({"keyword_groups": {}}),
    ]
    for change in changes:
        before = build_rules(config, PRODUCT, TYPES, siblings=[SIBLING])
        change(config)
        after = build_rules(config, PRODUCT, TYPES, siblings=[SIBLING])
        assert after == build_rules(copy.deepcopy(config), PRODUCT, TYPES, siblings=[SIBLING])
        assert after != before, change


def test_each_product_s_rules_are_its_own() -> None:
    """Rules built from one configuration share no container a caller could change for the next product."""
    config = copy.deepcopy(CONFIG)
    first = build_rules(config, PRODUCT, TYPES)
    first.word_map["x"] = "y"
    first.forbidden_words.append("x")
    for ct in first.content_types.values():
        ct.additions["x"] = "y"
        ct.must_keywords.append("x")
        ct.omit_keywords.append("x")
        ct.claims.append(guardrails.Claim("x"))
    assert build_rules(config, PRODUCT, TYPES) == build_rules(copy.deepcopy(CONFIG), PRODUCT, TYPES)


def _resolve_as_before(names: list[str] | None, keywords: dict[str, Any] | None) -> list[str]:
    out: list[str] = []
    for name in names or []:
        group = (keywords or {}).get(name)
        items = group if isinstance(group, list) else [group] if isinstance(group, str) else []
        for item in items:
            if isinstance(item, str) and item.strip() and item not in out:
                out.append(item.strip())
    return out


def test_keyword_groups_resolve_as_before() -> None:
    keywords: dict[str, Any] = {
        "a": ["x", " x", "x ", "x", "", "  ", "y"],
        "b": [" x", "x", 3, None, True, "z"],
        "c": "single",
        "d": 7,
        "e": [{"not": "hashable"}, "w", ["w"], "w"],
        "f": [],
    }
    names = [*keywords, "missing"]
    for size in (1, 2, 3):
        for chosen in itertools.permutations(names, size):
            for _ in range(2):  # the second time from what was remembered
                assert resolve_groups(list(chosen), keywords) == _resolve_as_before(list(chosen), keywords), chosen
    assert resolve_groups([], keywords) == [] and resolve_groups(None, keywords) == []
    assert resolve_groups(["a"], None) == []


def _render_around_as_before(
    template: str, target: str, current: str, values: dict[str, str], attributes: dict[str, str]
) -> tuple[str, list[str]]:
    parts = guardrails._split_template(template, target)
    if len(parts) == 1:
        rendered, missing = guardrails.render_template(template, values, attributes)
        return tidy(rendered), missing
    prefix, missing_before = guardrails.render_template(parts[0], values, attributes)
    suffix, missing_after = guardrails.render_template(parts[1], values, attributes)
    prefix_core = tidy(prefix)
    suffix_core = tidy(suffix)
    if prefix_core and current.lower().startswith(prefix_core.lower()):
        prefix = ""
    if suffix_core and current.lower().rstrip(" .!").endswith(suffix_core.lower().rstrip(" .!")):
        suffix = ""
    head, tail = guardrails._template_ends(prefix, suffix)
    return f"{head}{current}{tail}".strip(), missing_before + missing_after


def test_additions_render_as_before() -> None:
    templates = [
        "{{attr.brand}}, {{title}}",
        "{{attr.brand}} - {{title}} - {{attr.sub_brand}}",
        "{{ title }}!",
        "{{title}} !",
        "{{title}}\nThanks, from the team at {{attr.brand}}!",
        "{{title}} ({{attr.colour}})",
        "New: {{title}} by {{attr.Brand}}, {{desc}}",
        "{{desc}} | {{title}}",
        "Only the template {{attr.material}}",
        "{{attr.missing}} {{title}}",
        "{{title}}",
    ]
    currents = ["Quantum Gadget", "QuantumTech, Quantum Gadget", "Quantum Gadget (Black)", "Quantum gadget!", "", " x "]
    attribute_sets: list[dict[str, str]] = [
        {"brand": "QuantumTech", "colour": "Black"},
        {"brand": "QuantumTech", "colour": "", "sub_brand": "Pro"},
        {},
    ]
    value_sets: list[dict[str, str]] = [{"desc": "A gadget.", "title": "Quantum Gadget"}, {}]
    for template, current, attributes, values in itertools.product(templates, currents, attribute_sets, value_sets):
        for _ in range(2):  # the second time from the remembered ends
            got = guardrails._render_around(template, "title", current, values, attributes)
            expected = _render_around_as_before(template, "title", current, values, attributes)
            assert got == expected, (template, current, attributes, values)
