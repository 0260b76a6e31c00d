"""The shortcuts of issue 13's third offline pass give what the plain way gives: rules planned once per
configuration (and planned again when it changes in place), keyword groups remembered per sequence of items,
additions rendered from remembered ends. The whole path's answers are tests/content/test_guardrail_corpus.py's."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from domain.content import guardrails, textops
from domain.content.guardrail_rules import COLOUR_WORDS, build_rules, resolve_groups
from domain.content.spec import build_spec
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


TEXTS = [
    "A black charger, model 103. Customers say: \u201cgreat\u201d",
    "Colour: Black.",
    "A rose gold lamp. Red buttons!",
    "Shampoo 250 ml (8.4 fl oz), 50ml",
    "A 15 inch laptop with 16 GB. shopper barrier",
    "Obsolete-free TECH for the tech-savvy \u2014 not technology",
    "Stra\u00dfe \u0130stanbul \u0131 \u017fun \u212aelvin caf\u00e9",
    "\u03a3\u039f\u03a3 black",
    "Not Applicable - yes - no",
    "",
]
RULES = [
    guardrails.EntityRule("COLOR", ("Black",), (), COLOUR_WORDS),
    guardrails.EntityRule("COLOR", ("Red",), ("Black",), COLOUR_WORDS),
    guardrails.EntityRule("COLOR", ("Rose Gold",), ("Red", "Rose Gold"), COLOUR_WORDS),
    guardrails.EntityRule("COLOR", (), ("Black",), COLOUR_WORDS),
    guardrails.EntityRule("SIZE", ("250 ml",), (), (), quantities=True),
    guardrails.EntityRule("SIZE", ("50 ml",), ("250 ml",), (), quantities=True),
    guardrails.EntityRule("PRODUCT_NAME", ("Quantum Lamp",), ("Quantum Charger",)),
    guardrails.EntityRule("PRODUCT_NAME", ("Quantum Lamp",)),
]


def test_texts_checked_at_once_find_what_each_text_would() -> None:
    """The cleaning pass and the audit check a product's texts at once (``_quiet``, ``_finds_nothing``): when that
    finds nothing, checking them one by one finds (and replaces) nothing either."""
    phrase_sets = [(), ("shopper barrier",), ("tech",), (" - ", "Not Applicable"), ("istanbul",), ("obsolete",)]
    for size in (1, 2, 3):
        for texts in itertools.combinations(TEXTS, size):
            lowered = textops.lowered_together(texts)
            for rule in RULES:
                if lowered is not None and guardrails._finds_nothing(texts, lowered, [rule]):
                    for text in texts:
                        assert guardrails.check_entities(text, [rule]) == (text, []), (texts, rule)
            for phrases in phrase_sets:
                if lowered is not None and textops.none_can_occur_in(lowered, phrases, ()):
                    assert all(textops.none_can_occur(text, phrases, ()) for text in texts), (texts, phrases)


def test_rules_of_other_values_report_their_own() -> None:
    """What a rule could report is worked out once per rule (rules are immutable and shared between products of the
    same values): a rule of another true value reports another colour."""
    texts = ["A black lamp with red buttons."]
    lowered = textops.lowered_together(texts)
    assert lowered is not None
    black, red, neither = (guardrails.EntityRule("COLOR", (c,), (), COLOUR_WORDS) for c in ("Black", "Red", "Blue"))
    assert not guardrails._finds_nothing(texts, lowered, [black])  # red is not its colour
    assert not guardrails._finds_nothing(texts, lowered, [red])  # black is not its colour
    assert not guardrails._finds_nothing(texts, lowered, [neither])
    assert guardrails._finds_nothing(["A black lamp."], "a black lamp.", [black])
    assert not guardrails._finds_nothing(["A black lamp."], "a black lamp.", [red])


def test_each_spec_reads_its_own_configuration() -> None:
    """The values a spec derives once (for every product of a job) are its own configuration's."""
    other = copy.deepcopy(CONFIG)
    other["client"]["variant_data_fields"] = ["Colour"]
    other["content_types"]["title"]["keyword_groups"] = {"omit": ["avoid_in_titles"]}
    first, second = build_spec(TYPES, CONFIG), build_spec(TYPES, other)
    assert first.restricted_groups == {"claims", "avoid"} and first.variant_data_fields == ()
    assert second.restricted_groups == {"claims", "avoid", "avoid_in_titles"}
    assert second.variant_data_fields == ("Colour",)
    assert first == build_spec(TYPES, copy.deepcopy(CONFIG))


def test_a_group_of_texts_finds_what_each_text_holds() -> None:
    """``TextGroup`` (the audit's keyword checks) looks a one-word phrase up among the texts' words: it finds exactly
    the phrases a pattern finds in one of the texts."""
    phrases = ["black", "Black", "tech", "TECH", "technology", "obsolete", "istanbul", "sun", "kelvin", "caf\u00e9"]
    phrases += ["ml", "50ml", "rose gold", "shopper barrier", " - ", "not applicable", "i", "\u03c3\u03bf\u03c2", ""]
    for size in (1, 2, 3):
        for texts in itertools.combinations(TEXTS, size):
            expected = [p for p in phrases if p and any(textops.contains_phrase(t, p) for t in texts)]
            assert textops.TextGroup(list(texts)).found(phrases) == expected, texts
