"""The deterministic guardrails, one rule at a time, then all of them on the document's example."""

from __future__ import annotations

from typing import Any

from domain.content.guardrail_rules import build_rules, family_of, product_attributes, resolve_groups
from domain.content.guardrails import (
    ADDITION_INCOMPLETE,
    EXCEED_LENGTH,
    FALSE_ENTITY,
    FORBIDDEN_WORD,
    MISSING_CLAIM,
    MISSING_KEYWORD,
    OMITTED_KEYWORD,
    WARNING_CODES,
    Claim,
    ContentTypeRules,
    EntityRule,
    GuardrailRules,
    apply_additions,
    apply_guardrails,
    apply_word_map,
    check_entities,
    ensure_bullet_claims,
    ensure_claims,
    find_missing_keywords,
    fit_to_limit,
    length_budgets,
    parse_claim,
    quantities,
    remove_forbidden,
    render_template,
)


def codes(warnings: list[Any]) -> list[str]:
    return [w.code for w in warnings]


# --- word map ------------------------------------------------------------------------------------------


def test_word_map_replaces_whole_words_preserving_case() -> None:
    word_map = {"Foo": "Bar", "colour": "color"}
    text = "Foo and foo and FOO, but not food or Foobar; colours stay, Colour changes."
    assert apply_word_map(text, word_map) == "Bar and bar and BAR, but not food or Foobar; colours stay, Color changes."


def test_word_map_handles_punctuation_keys_and_removals() -> None:
    word_map = {" - ": ", ", "Not Applicable": ""}
    assert apply_word_map("Gadget - Black - 2024", word_map) == "Gadget, Black, 2024"
    assert apply_word_map("Size: Not Applicable. Great gadget.", word_map) == "Size. Great gadget."


def test_word_map_never_touches_a_verbatim_claim() -> None:
    claim = "Foo is clinically proven."
    out = apply_word_map(f"Foo for all. {claim}", {"Foo": "Bar"}, protected=[claim])
    assert out == f"Bar for all. {claim}"


def test_word_map_in_the_pipeline_applies_to_every_bullet() -> None:
    rules = GuardrailRules(word_map={"Foo": "Bar"}, content_types={"bullets": ContentTypeRules(family="bullets")})
    out, warnings = apply_guardrails({"bullets": ["Foo one.", "Two foo."]}, rules)
    assert out["bullets"] == ["Bar one.", "Two bar."] and warnings == []


# --- forbidden words and omitted keywords -------------------------------------------------------------


def test_forbidden_words_are_removed() -> None:
    text, remaining = remove_forbidden(
        "No shopper barrier here, and no Shopping Barrier.", ["shopper barrier", "shopping barrier"]
    )
    assert text == "No here, and no." and remaining == []


def test_forbidden_word_inside_a_claim_is_kept_and_warned() -> None:
    claim = "Removes every shopper barrier."
    rules = GuardrailRules(
        forbidden_words=["shopper barrier"],
        content_types={"desc": ContentTypeRules(claims=[Claim(claim)])},
    )
    out, warnings = apply_guardrails({"desc": f"A shopper barrier breaker. {claim}"}, rules)
    assert out["desc"] == f"A breaker. {claim}"
    assert codes(warnings) == [FORBIDDEN_WORD]
    assert "shopper barrier" in warnings[0].description


def test_omitted_keywords_are_removed_from_every_bullet() -> None:
    rules = GuardrailRules(content_types={"bullets": ContentTypeRules(family="bullets", omit_keywords=["obsolete"])})
    out, warnings = apply_guardrails({"bullets": ["Never obsolete design.", "Obsolete"]}, rules)
    assert out["bullets"] == ["Never design."]  # a bullet left empty disappears
    assert warnings == []


def test_omitted_keyword_that_cannot_be_removed_is_warned() -> None:
    claim = "Replaces obsolete chargers."
    rules = GuardrailRules(content_types={"desc": ContentTypeRules(omit_keywords=["obsolete"], claims=[Claim(claim)])})
    out, warnings = apply_guardrails({"desc": claim}, rules)
    assert out["desc"] == claim
    assert codes(warnings) == [OMITTED_KEYWORD]


# --- must-include keywords ---------------------------------------------------------------------------


def test_missing_must_keywords_are_warned() -> None:
    assert find_missing_keywords(["Quantum gadget"], ["Quantum", "Tech"]) == ["Tech"]
    rules = GuardrailRules(content_types={"title": ContentTypeRules(family="title", must_keywords=["Quantum", "Tech"])})
    out, warnings = apply_guardrails({"title": "Quantum Gadget"}, rules)
    assert out["title"] == "Quantum Gadget"
    assert codes(warnings) == [MISSING_KEYWORD] and "'Tech'" in warnings[0].description


def test_must_keyword_in_any_bullet_is_enough() -> None:
    rules = GuardrailRules(content_types={"bullets": ContentTypeRules(family="bullets", must_keywords=["gadget"])})
    _, warnings = apply_guardrails({"bullets": ["Sleek.", "A handy Gadget."]}, rules)
    assert warnings == []


# --- verbatim claims and disclaimers -----------------------------------------------------------------


def test_parse_claim_formats() -> None:
    assert parse_claim("A plain claim") == Claim("A plain claim")
    assert parse_claim("'Claim': Lasts 24h, 'Disclaimer': Tested in lab conditions.") == Claim(
        "Lasts 24h", "Tested in lab conditions."
    )
    assert parse_claim("'Claim': Lasts 24h* | 'Disclaimer': *Tested in lab conditions.") == Claim(
        "Lasts 24h*", "*Tested in lab conditions."
    )


def test_missing_claim_is_appended_and_disclaimer_goes_to_the_end() -> None:
    claims = [Claim("Clinically proven."), Claim("Lasts 24h*", "*In lab tests.")]
    out = ensure_claims("*In lab tests. Great cream", claims)
    # A full stop closes running text before an appended claim, but a claim is never altered ("24h*").
    assert out == "Great cream. Clinically proven. Lasts 24h* *In lab tests."
    assert out.endswith("*In lab tests.")
    assert ensure_claims(out, claims) == out  # already satisfied: unchanged


def test_bullet_claims_get_their_own_bullet_with_the_disclaimer_at_its_end() -> None:
    claims = [Claim("Lasts 24h*", "*In lab tests.")]
    assert ensure_bullet_claims(["Soft feel."], claims) == ["Soft feel.", "Lasts 24h* *In lab tests."]
    assert ensure_bullet_claims(["*In lab tests. Lasts 24h* on skin"], claims) == ["Lasts 24h* on skin. *In lab tests."]


def test_claim_that_cannot_fit_is_warned() -> None:
    claim = Claim("This claim is far too long to fit in the tiny character limit of this title.")
    rules = GuardrailRules(
        content_types={"title": ContentTypeRules(family="title", character_limit=30, claims=[claim])}
    )
    out, warnings = apply_guardrails({"title": "Short title"}, rules)
    assert len(out["title"]) <= 30
    assert codes(warnings) == [MISSING_CLAIM] and "30 characters" in warnings[0].description


def test_claims_survive_the_cut() -> None:
    claim = Claim("Approved by dentists*", "*Survey of 100 dentists.")
    body = "First sentence about the brush. " * 10
    rules = GuardrailRules(content_types={"desc": ContentTypeRules(character_limit=150, claims=[claim])})
    out, warnings = apply_guardrails({"desc": body + claim.text}, rules)
    assert len(out["desc"]) <= 150
    assert claim.text in out["desc"] and str(out["desc"]).endswith("*Survey of 100 dentists.")
    assert warnings == []


# --- character limits --------------------------------------------------------------------------------


def test_fit_to_limit_cuts_at_a_sentence_boundary() -> None:
    text = "One short sentence. Two short sentence. Three is the longest sentence of them all."
    out, over = fit_to_limit(text, 45)
    assert (out, over) == ("One short sentence. Two short sentence.", 0)


def test_fit_to_limit_cuts_a_title_at_a_word_boundary_without_dangling_words() -> None:
    out, over = fit_to_limit("QuantumTech Gadget with Bluetooth and Long Battery Life", 30, sentences=False)
    assert (out, over) == ("QuantumTech Gadget", 0)  # not "QuantumTech Gadget with"


def test_fit_to_limit_keeps_required_text() -> None:
    text = "Intro sentence here. Required claim stays. Filler sentence number one. Filler two."
    out, over = fit_to_limit(text, 50, required=["Required claim stays."])
    assert over == 0 and "Required claim stays." in out and len(out) <= 50


def test_fit_to_limit_reports_when_required_text_alone_is_too_long() -> None:
    text = "A required claim that is long. Other."
    out, over = fit_to_limit(text, 20, required=["A required claim that is long."])
    assert out == text and over == len(text) - 20


def test_exceed_length_warning_when_nothing_is_cut() -> None:
    rules = GuardrailRules(content_types={"title": ContentTypeRules(family="title", character_limit=20)})
    long_title = "An extremely long product title that goes on"
    out, warnings = apply_guardrails({"title": long_title}, rules, cut=False)
    assert out["title"] == long_title
    assert codes(warnings) == [EXCEED_LENGTH]
    assert warnings[0].description == f"title exceeds length by {len(long_title) - 20} characters"
    cut, warnings = apply_guardrails({"title": long_title}, rules)
    assert len(cut["title"]) <= 20 and warnings == []


def test_bullet_limit_is_per_bullet() -> None:
    rules = GuardrailRules(content_types={"bullets": ContentTypeRules(family="bullets", character_limit=40)})
    bullets = ["Short bullet.", "A long bullet that keeps going well beyond the forty characters."]
    out, warnings = apply_guardrails({"bullets": bullets}, rules)
    assert out["bullets"][0] == "Short bullet."
    assert all(len(b) <= 40 for b in out["bullets"]) and warnings == []
    _, warnings = apply_guardrails({"bullets": bullets}, rules, cut=False)
    assert codes(warnings) == [EXCEED_LENGTH] and "bullets item 2" in warnings[0].description


# --- additions -----------------------------------------------------------------------------------------


def test_render_template_reports_unknown_placeholders() -> None:
    text, missing = render_template("{{attr.brand}} / {{title}} / {{attr.nope}}", {"title": "T"}, {"brand": "B"})
    assert text == "B / T / " and missing == ["attr.nope"]


def test_title_addition_with_a_missing_attribute_leaves_no_dangling_separator() -> None:
    content, warnings = apply_additions(
        {"title": "Quantum Gadget"},
        {"title": "{{attr.brand}}, {{title}}, {{attr.sub_brand}}"},
        {"brand": "QuantumTech"},
        content_type="title",
    )
    assert content["title"] == "QuantumTech, Quantum Gadget"
    assert codes(warnings) == [ADDITION_INCOMPLETE] and "attr.sub_brand" in warnings[0].description


def test_bullet_and_desc_additions() -> None:
    content, warnings = apply_additions(
        {"bullets": ["Rinse well.", "Soft."], "desc": "A shampoo."},
        {"bullets_1": "How to: {{bullets_1}}", "bullets_3": "Ingredients: {{bullets_3}}"},
        {},
        content_type="bullets",
    )
    assert content["bullets"] == ["How to: Rinse well.", "Soft."]
    assert codes(warnings) == [ADDITION_INCOMPLETE] and "bullets_3" in warnings[0].description
    content, _ = apply_additions(
        {"desc": "A shampoo."},
        {"desc": "{{desc}} \nThanks, from the team at {{attr.brand}}!"},
        {"brand": "Lush"},
        content_type="desc",
    )
    assert content["desc"] == "A shampoo.\nThanks, from the team at Lush!"


def test_additions_are_applied_once_and_counted_in_the_limit() -> None:
    rules = GuardrailRules(
        attributes={"brand": "QuantumTech"},
        content_types={
            "title": ContentTypeRules(
                family="title", character_limit=40, additions={"title": "{{attr.brand}}, {{title}}"}
            )
        },
    )
    raw = {"title": "Gadget with wireless charging and a long battery life"}
    assert length_budgets(raw, rules) == {"title": 40 - len("QuantumTech, ")}
    out, warnings = apply_guardrails(raw, rules)
    assert str(out["title"]).startswith("QuantumTech, Gadget") and len(out["title"]) <= 40
    assert warnings == []
    again, _ = apply_guardrails(out, rules)
    assert again == out


# --- false entities ------------------------------------------------------------------------------------


def test_known_false_value_is_replaced_by_the_true_one() -> None:
    rule = EntityRule("COLOR", true_values=("Black",), false_values=("Red",))
    text, problems = check_entities("A red gadget. RED buttons.", [rule])
    assert text == "A black gadget. BLACK buttons." and problems == []


def test_vocabulary_mention_of_another_value_is_warned_not_replaced() -> None:
    rules = GuardrailRules(entities=[EntityRule("COLOR", ("Black",), (), ("black", "white", "red"))])
    out, warnings = apply_guardrails({"desc": "A black gadget with white buttons."}, rules)
    assert out["desc"] == "A black gadget with white buttons."
    assert codes(warnings) == [FALSE_ENTITY] and "'white'" in warnings[0].description


def test_quantity_in_the_same_unit_with_another_amount_is_warned() -> None:
    rule = EntityRule("SIZE", true_values=("250 ml (8.4 fl oz)",), quantities=True)
    assert quantities("250ml or 8,4 fl. oz, 1 litre") == [(250.0, "ml"), (8.4, "floz"), (1.0, "l")]
    _, problems = check_entities("Shampoo 250ml. Also 8.4 fl oz. Lasts 30 days, 2 GB.", [rule])
    assert problems == []
    _, problems = check_entities("A 500 ml bottle.", [rule])
    assert problems == ["mentions '500 ml' as SIZE, but the product's SIZE is '250 ml (8.4 fl oz)'"]


def test_false_value_is_warned_when_the_true_value_is_unknown() -> None:
    rules = GuardrailRules(entities=[EntityRule("SIZE", (), ("50 ml",))])
    _, warnings = apply_guardrails({"title": "Cream 50 ml"}, rules)
    assert codes(warnings) == [FALSE_ENTITY]


# --- rules from a content_config -----------------------------------------------------------------------

PRODUCT: dict[str, Any] = {
    "product_id": "1234567890001",
    "product_name": "QuantumTech Gadget",
    "product_description": "A high-tech gadget designed for modern needs.",
    "brand": "QuantumTech",
    "market": "uk",
    "language": "en",
    "variant_group_id": "G123456",
    "keywords": {
        "generic": ["tech", "gadget"],
        "title": ["Quantum", "Tech"],
        "avoid": ["obsolete"],
        "desc_must_claims": [
            "A simple claim that is verbatim and must be included within the description",
            "'Claim': A verbatim claim that must be included within the description, 'Disclaimer': A verbatim "
            "disclaimer that corresponds to the 'Claim' and must be included at the end of the description",
        ],
        "desc_optional_claims": ["A simple claim that is non-verbatim and it can optionally be included"],
        "bullets_must_claims": [
            "A simple claim that is verbatim and must be included within the bullet points",
            "'Claim': A verbatim claim that must be included within the bullet point, 'Disclaimer': A verbatim "
            "disclaimer that corresponds to the 'Claim' and must be included at the end of the bullet point",
        ],
    },
    "attributes": [
        {"name": "long_product_name", "value": "Some Gadget"},
        {"name": "brand", "value": "QuantumTech"},
        {"name": "colour", "value": "Black"},
    ],
}

CONFIG: dict[str, Any] = {
    "word_map": {" - ": ", ", "Not Applicable": ""},
    "keyword_groups": {"omit": ["avoid"]},
    "client": {
        "forbidden_words": ["shopper barrier", "shopping barrier"],
        "content_type_family_map": {"title": "title", "bullets": "bullets", "desc": "string"},
        "field_map": {"brand": "Brand", "long_product_name": "Long Product Name"},
        "validation_entities": ["PRODUCT_NAME", "SIZE"],
        "false_words_entity_map": {"COLOR": "Colour", "SIZE": "Size"},
    },
    "content_types": {
        "title": {
            "character_limit": 100,
            "additions": {"title": "{{attr.brand}}, {{title}}, {{attr.sub_brand}}"},
            "keyword_groups": {"must": ["title"], "omit": ["SomeBadTitleKeywordGroup"]},
        },
        "bullets": {
            "character_limit": 250,
            "additions": {"bullets_1": "How to: {{bullets_1}}"},
            "keyword_groups": {"must": ["generic"], "verbatim_must_claims": ["bullets_must_claims"]},
        },
        "desc": {
            "character_limit": 1000,
            "additions": {"desc": "{{desc}} \nThanks, from the team at {{attr.brand}}!"},
            "keyword_groups": {"verbatim_must_claims": ["desc_must_claims"], "should": ["generic"]},
        },
    },
}


def test_rules_are_resolved_from_the_config_and_the_product() -> None:
    assert resolve_groups(["title", "unknown", "title"], PRODUCT["keywords"]) == ["Quantum", "Tech"]
    assert family_of("short_bullets") == "bullets" and family_of("desc", {"desc": "string"}) == "string"
    attrs = product_attributes(PRODUCT, CONFIG["client"]["field_map"])
    assert attrs["long_product_name"] == "Some Gadget" and attrs["brand"] == "QuantumTech"

    sibling = {**PRODUCT, "product_name": "QuantumTech Gadget Red", "attributes": [{"name": "Colour", "value": "Red"}]}
    rules = build_rules(CONFIG, PRODUCT, ["title", "bullets", "desc"], siblings=[sibling])
    assert rules.content_types["title"].must_keywords == ["Quantum", "Tech"]
    assert rules.content_types["title"].omit_keywords == ["obsolete"]  # from the config's shared groups
    assert rules.content_types["desc"].claims[1].disclaimer is not None
    assert rules.content_types["bullets"].family == "bullets"
    by_entity = {e.entity: e for e in rules.entities}
    assert by_entity["COLOR"].true_values == ("Black",) and by_entity["COLOR"].false_values == ("Red",)
    assert by_entity["PRODUCT_NAME"].false_values == ("QuantumTech Gadget Red",)
    assert by_entity["SIZE"].true_values == ()


def test_the_documents_example_against_rule_breaking_output() -> None:
    """What a misbehaving provider writes for the document's example comes out within every rule."""
    sibling = {"product_name": "QuantumTech Gadget Red", "attributes": [{"name": "colour", "value": "Red"}]}
    rules = build_rules(CONFIG, PRODUCT, ["title", "bullets", "desc"], siblings=[sibling])
    filler = "It is an obsolete-free red gadget - no shopper barrier at all. "
    raw: dict[str, str | list[str]] = {
        "title": "Quantum Gadget - Red edition with a very long name that keeps on going, never obsolete, "
        "shopping barrier free and Not Applicable",
        "bullets": ["Use it daily " + filler * 6, "Red finish."],
        "desc": filler * 40,
    }
    out, warnings = apply_guardrails(raw, rules)
    for name, limit in (("title", 100), ("desc", 1000)):
        assert isinstance(out[name], str) and len(out[name]) <= limit
    assert all(len(b) <= 250 for b in out["bullets"])
    text = " ".join([out["title"], *out["bullets"], out["desc"]]).lower()  # type: ignore[list-item]
    for bad in ("shopper barrier", "shopping barrier", "obsolete", "not applicable", " red ", " - "):
        assert bad not in text
    assert out["title"].startswith("QuantumTech, ")  # type: ignore[union-attr]
    assert out["bullets"][0].startswith("How to: ")
    assert str(out["desc"]).endswith("included at the end of the description")
    assert "Thanks, from the team at QuantumTech!" in str(out["desc"])
    for claim in rules.content_types["desc"].claims:
        assert claim.text in out["desc"]
    for claim in rules.content_types["bullets"].claims:
        assert any(claim.text in b for b in out["bullets"])
    # What is left to report: the title lost "Tech" (never written), the sub brand is unknown.
    assert sorted(set(codes(warnings))) == [ADDITION_INCOMPLETE, MISSING_KEYWORD]
    again, _ = apply_guardrails(out, rules)
    assert again == out


def test_every_warning_code_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "content-services.md").read_text()
    for code in WARNING_CODES:
        assert f"`{code}`" in doc


def test_a_single_word_longer_than_the_limit_is_kept_and_reported_not_emptied():
    word = "Supercalifragilisticexpialidocious"
    assert fit_to_limit(word, 10) == (word, len(word) - 10)
    assert fit_to_limit(word + ".", 10, sentences=True) == (word + ".", len(word) + 1 - 10)
    assert fit_to_limit("Short one. " + word, 12) == ("Short one.", 0)
