"""The prompt carries each part of the configuration to the right content types; the offline composer."""

from __future__ import annotations

import copy
from typing import Any

from domain.content.config_schema import parse_content_config
from domain.content.offline import compose
from domain.content.products import ProductData
from domain.content.prompt import build_prompt
from domain.content.spec import build_spec
from tests.content.helpers import product_data


def product(example: dict[str, Any], **changes: Any) -> ProductData:
    raw = copy.deepcopy(example["products"][0])
    raw.update(changes)
    return product_data(raw)


def config(example: dict[str, Any], **changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(example["content_generation_params"]["content_config"])
    raw.update(changes)
    return parse_content_config(raw)


def section(prompt: str, name: str) -> str:
    """The part of the user prompt about one content type."""
    start = prompt.index(f'"{name}" (')
    following = [prompt.find(f'\n"{n}" (', start + 1) for n in ("title", "bullets", "desc")]
    ends = [i for i in following if i > start]
    return prompt[start : min(ends) if ends else len(prompt)]


def test_tone_by_brand_and_only_for_tone_content_types(example: dict[str, Any]) -> None:
    tone = {"GENERIC": {"plain": "generic tone"}, "QuantumTech": {"plain": "quantum tone"}}
    spec = build_spec(["title", "bullets", "desc"], config(example, tone=tone))
    prompt = build_prompt([product(example)], spec, market="uk", channel="TechStore", language="en")
    assert "quantum tone" in section(prompt.user, "desc") and "generic tone" not in prompt.user
    assert "quantum tone" not in section(prompt.user, "title")  # title is not in tone_content_types

    other = build_prompt([product(example, brand="Acme")], spec, market="uk", channel=None, language="en")
    assert "generic tone" in section(other.user, "bullets")


def test_style_guide_applies_to_its_content_types(example: dict[str, Any]) -> None:
    spec = build_spec(["title", "bullets", "desc"], config(example))
    prompt = build_prompt([product(example)], spec, market="uk", channel="TechStore", language="en")
    assert "Style guide (applies to bullets, desc):" in prompt.system
    assert "tone of voice: Informal but professional" in prompt.system


def test_prompt_attributes_field_map_and_reviews(example: dict[str, Any]) -> None:
    cfg = config(example)
    spec = build_spec(["title"], cfg)
    prompt = build_prompt([product(example)], spec, market="uk", channel=None, language="en")
    assert "- Long Product Name: Some Gadget" in prompt.user  # long_product_name through field_map
    assert "- Colour: Black" in prompt.user
    assert "An innovative product" in prompt.user

    cfg["client"]["review_attributes"] = ["Sub Category"]
    cfg["client"]["prompt_attributes"] = ["Colour"]
    quiet = build_prompt([product(example)], build_spec(["title"], cfg), market="uk", channel=None, language="en")
    assert "An innovative product" not in quiet.user and "Some Gadget" not in quiet.user


def test_keyword_groups_resolve_against_the_product(example: dict[str, Any]) -> None:
    cfg = config(example)
    cfg["content_types"]["title"]["keyword_groups"] = {"must": ["title"], "should": ["generic"], "omit": ["avoid"]}
    spec = build_spec(["title"], cfg)
    user = build_prompt([product(example)], spec, market="uk", channel=None, language="en").user
    assert "Must include each of these keywords: Quantum, Tech." in user
    assert "Include these keywords where they read naturally: tech, gadget." in user
    assert "Never use these words: obsolete." in user
    assert "Search keywords: tech, gadget, Quantum, Tech" in user  # never the words to avoid


def test_schema_follows_the_families(example: dict[str, Any]) -> None:
    cfg = config(example)
    cfg["content_types"]["features"] = {"task": "List the features.", "character_limit": 80}
    cfg["client"]["content_type_family_map"]["features"] = "bullets"
    spec = build_spec(["title", "features", "howtouse", "short_desc"], cfg)
    schema = build_prompt([product(example)], spec, market="uk", channel=None, language="en").schema
    assert schema["properties"]["features"]["type"] == "array"
    assert schema["properties"]["title"] == {"type": "string"}
    assert schema["required"] == ["title", "features", "short_desc"]  # howtouse is skipped by the client block
    assert spec.skipped == ["howtouse"]
    assert [t.character_limit for t in spec.content_types] == [100, 80, 300]  # short_desc: the built-in limit


def test_offline_composer_is_deterministic_and_factual(example: dict[str, Any]) -> None:
    spec = build_spec(["title", "bullets", "desc", "howtouse"], config(example, client={}))
    p = product(example, attributes=[*example["products"][0]["attributes"], {"name": "how_to_use", "value": "Plug in"}])
    first, second = compose([p], spec), compose([p], spec)
    assert first == second
    assert first["title"] == "QuantumTech Gadget, Some Gadget, Black"  # not the how-to-use text
    assert first["howtouse"] == "Plug in."
    assert isinstance(first["bullets"], list) and len(first["bullets"]) == 5
    assert str(first["desc"]).startswith("A high-tech gadget designed for modern needs.")


def test_group_prompt_keeps_shared_facts_only(example: dict[str, Any]) -> None:
    config = parse_content_config(example["content_generation_params"]["content_config"])
    config["client"]["validation_entities"] = ["PRODUCT_NAME", "SIZE", "COLOR"]
    spec = build_spec(["title", "desc"], config)
    black = copy.deepcopy(example["products"][0])
    black["attributes"].append({"name": "size", "value": "Large"})
    red = copy.deepcopy(black)
    red["product_id"] = "2"
    red["attributes"] = [a if a["name"] != "colour" else {"name": "colour", "value": "Red"} for a in red["attributes"]]

    single = build_prompt([product_data(black)], spec, market="uk", channel=None, language="en").user
    assert "- the colour is Black" in single and "- the size is Large" in single

    group = build_prompt([product_data(black), product_data(red)], spec, market="uk", channel=None, language="en").user
    assert "- the product name is QuantumTech Gadget" in group  # shared by both variants
    assert "- the size is Large" in group
    assert "- the colour is" not in group  # differs: the writer uses the {{variant.Colour}} placeholder
    assert "{{variant.Colour}}" in group


def test_offline_composer_never_offers_claims_or_omitted_words_as_keywords(example: dict[str, Any]) -> None:
    raw = copy.deepcopy(example["products"][0])
    raw["keywords"] = {"generic": ["gadget"], "legal": ["Certified by nobody"], "banned": ["cheap"]}
    config = parse_content_config(example["content_generation_params"]["content_config"])
    config["content_types"]["desc"]["keyword_groups"] = {"verbatim_must_claims": ["legal"]}
    config["content_types"]["bullets"]["keyword_groups"] = {"omit": ["banned"]}
    config["content_types"]["title"]["keyword_groups"] = {}
    spec = build_spec(["title", "bullets", "desc"], config)
    content = compose([product_data(raw)], spec)
    bullets = " ".join(content["bullets"])
    assert "gadget" in bullets
    assert "cheap" not in bullets and "cheap" not in str(content["desc"])
    assert str(content["desc"]).count("Certified by nobody") <= 1  # only as the claim itself, never as a keyword
    assert "Certified by nobody" not in bullets
