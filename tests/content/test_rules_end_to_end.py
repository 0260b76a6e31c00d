"""Against a provider that breaks the rules on purpose, every output meets each rule or carries the matching
warning. One test per rule, end to end through the endpoint, with the real SDK against the fake server."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from domain.content.guardrails import parse_claim
from domain.content.textops import contains_phrase
from tests.content.helpers import LIMITS, PRODUCT_ID, assert_claims_kept, generate, texts, with_config
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI

pytestmark = pytest.mark.provider("openai")


Write = Callable[[dict[str, Any]], Awaitable[tuple[dict[str, Any], list[dict[str, Any]]]]]


@pytest.fixture
def write(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> Write:
    """Generates a body in the workspace; gives the content and warnings of the example's product."""

    async def run(body: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        _, result = await generate(client, workspace, body)
        entry = result[PRODUCT_ID]
        return entry["content"], entry["warnings"]

    return run


def all_texts(content: dict[str, Any]) -> list[str]:
    return [t for value in content.values() for t in texts(value)]


async def test_character_limits(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    fake_openai.break_rules(too_long=1500)
    content, warnings = await write(example)
    for name, limit in LIMITS.items():
        for text in texts(content[name]):
            over = len(text) > limit
            assert not over or any(w["code"] == "EXCEED_LENGTH" and w["content_type"] == name for w in warnings)
            assert not over  # the claims fit, so the clean cut always makes room
    # A shortening call with each type's guidelines_shortener came before any cut.
    shortening = [r for r in fake_openai.requests if r.schema_name == "shortened_content"]
    assert len(shortening) == 1
    assert "Respect the order of appearance." in shortening[0].user
    assert "Always ensure grammar is correct." in shortening[0].user
    assert set(shortening[0].schema["properties"]) == {"title", "bullets", "desc"}  # type: ignore[index]
    # The cut keeps the verbatim claims.
    for raw in example["products"][0]["keywords"]["desc_must_claims"]:
        assert parse_claim(raw).text in content["desc"]


async def test_verbatim_claims_and_disclaimers(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    keywords = example["products"][0]["keywords"]
    claims = [parse_claim(c) for c in keywords["desc_must_claims"] + keywords["bullets_must_claims"]]
    fake_openai.break_rules(drop=tuple(v for c in claims for v in c.verbatim))
    content, warnings = await write(example)
    assert not [w for w in warnings if w["code"] == "MISSING_CLAIM"]
    assert_claims_kept(content, keywords)


async def test_forbidden_words(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    fake_openai.break_rules(words=("shopper barrier", "Shopping Barrier"))
    content, warnings = await write(example)
    for text in all_texts(content):
        for word in ("shopper barrier", "shopping barrier"):
            assert not contains_phrase(text, word) or any(w["code"] == "FORBIDDEN_WORD" for w in warnings)
            assert not contains_phrase(text, word)


async def test_omitted_keywords(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    body = copy.deepcopy(example)
    for config in body["content_generation_params"]["content_config"]["content_types"].values():
        config["keyword_groups"]["omit"] = ["avoid"]  # the product's "avoid" group: ["obsolete"]
    fake_openai.break_rules(words=("obsolete", "Obsolete"))
    content, warnings = await write(body)
    assert "obsolete" in fake_openai.requests[0].user  # the prompt told the writer to avoid it
    for text in all_texts(content):
        assert not contains_phrase(text, "obsolete") or any(w["code"] == "OMITTED_KEYWORD" for w in warnings)
        assert not contains_phrase(text, "obsolete")


async def test_word_map(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    body = with_config(example, word_map={" - ": ", ", "Not Applicable": "", "gizmo": "device"})
    fake_openai.script(
        {
            "title": "Quantum gizmo - Not Applicable - Tech",
            "bullets": ["A gizmo - for modern needs.", "Size: Not Applicable."],
            "desc": "This gizmo - built for modern needs - keeps things simple. Warranty: Not Applicable.",
        }
    )
    content, _ = await write(body)
    for text in all_texts(content):
        assert " - " not in text and "Not Applicable" not in text and "gizmo" not in text.lower()
    assert "device" in content["desc"].lower() and "device" in content["title"].lower()


async def test_additions(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        {
            "title": "Gadget for modern needs",
            "bullets": ["Plug it in.", "Compact body.", "Black finish."],
            "desc": "A high-tech gadget designed for modern needs.",
        }
    )
    content, warnings = await write(example)
    assert content["title"] == "QuantumTech, Gadget for modern needs"  # {{attr.brand}}, {{title}}, (no sub_brand)
    assert content["bullets"][0] == "How to: Plug it in."
    assert content["desc"].count("Thanks, from the team at QuantumTech!") == 1
    assert {"content_type": "title", "code": "ADDITION_INCOMPLETE"}.items() <= warnings[0].items()
    assert "sub_brand" in warnings[0]["description"]


async def test_must_keywords(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    body = copy.deepcopy(example)
    body["content_generation_params"]["content_config"]["content_types"]["title"]["keyword_groups"]["must"] = [
        "title",
        "generic",
    ]
    fake_openai.script({"title": "Gadget for modern needs", "bullets": ["One."], "desc": "A gadget."})
    content, warnings = await write(body)
    assert "Must include each of these keywords: Quantum, Tech, tech, gadget" in fake_openai.requests[0].user
    for keyword in ("Quantum", "Tech", "gadget"):
        met = contains_phrase(content["title"], keyword)
        warned = any(w["code"] == "MISSING_KEYWORD" and f"'{keyword}'" in w["description"] for w in warnings)
        assert met or warned, keyword
    assert any(w["code"] == "MISSING_KEYWORD" for w in warnings)  # "Quantum" alone is nowhere in the title


async def test_false_entities(write: Write, example: dict[str, Any], fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        {
            "title": "QuantumTech Gadget in Red",
            "bullets": ["Bold red finish.", "Made for modern needs."],
            "desc": "The QuantumTech Gadget comes in a striking red. It suits modern needs.",
        }
    )
    content, warnings = await write(example)
    for name in ("title", "bullets", "desc"):
        if any(contains_phrase(t, "red") for t in texts(content[name])):
            assert any(w["code"] == "FALSE_ENTITY" and w["content_type"] == name for w in warnings), name
    assert any(w["code"] == "FALSE_ENTITY" for w in warnings)


def body_with_variant(example: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    for config in body["content_generation_params"]["content_config"]["content_types"].values():
        config["keyword_groups"]["omit"] = ["avoid"]  # the product's "avoid" group: ["obsolete"]
    white = copy.deepcopy(body["products"][0])
    white["product_id"] = "1234567890002"
    white["attributes"] = [
        a if a["name"] != "colour" else {"name": "colour", "value": "White"} for a in white["attributes"]
    ]
    body["products"].append(white)
    return body


async def test_every_rule_at_once_for_every_variant(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    keywords = example["products"][0]["keywords"]
    claims = [parse_claim(c) for c in keywords["desc_must_claims"] + keywords["bullets_must_claims"]]
    fake_openai.break_rules(
        too_long=1500,
        words=("shopper barrier", "obsolete", "Not Applicable", "in Red"),  # Red: a colour neither variant has
        drop=tuple(v for c in claims for v in c.verbatim),
    )
    _, result = await generate(client, workspace, body_with_variant(example))
    assert list(result) == ["1234567890001", "1234567890002"]
    for product_id, colour in (("1234567890001", "Black"), ("1234567890002", "White")):
        content, warnings = result[product_id]["content"], result[product_id]["warnings"]
        codes = {(w["content_type"], w["code"]) for w in warnings}
        for name, limit in LIMITS.items():
            for text in texts(content[name]):
                assert len(text) <= limit or (name, "EXCEED_LENGTH") in codes, (product_id, name)
                assert not contains_phrase(text, "shopper barrier") or (name, "FORBIDDEN_WORD") in codes
                assert not contains_phrase(text, "obsolete") or (name, "OMITTED_KEYWORD") in codes
                assert "Not Applicable" not in text  # word_map
                assert not contains_phrase(text, "Red") or (name, "FALSE_ENTITY") in codes, (product_id, text)
        assert_claims_kept(content, keywords, codes)
        assert content["bullets"][0].startswith("How to: ")  # additions
        assert "Thanks, from the team at QuantumTech!" in content["desc"]
        assert result[product_id]["product"]["attributes"][2]["value"] == colour
        assert ("title", "FALSE_ENTITY") in codes  # the inserted "Red" is a false colour for both variants
