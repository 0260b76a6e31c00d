"""The rule-breaking mode with every breakage at once (too long, forbidden and omitted words, claims dropped,
a wrong colour), for every product of a variant group: each output meets each rule or carries the warning."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from domain.content.guardrails import parse_claim
from domain.content.textops import contains_phrase
from tests.content.helpers import generate, texts
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI

pytestmark = pytest.mark.provider("openai")
LIMITS = {"title": 100, "bullets": 250, "desc": 1000}


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
        for raw in keywords["desc_must_claims"]:
            claim = parse_claim(raw)
            assert claim.text in content["desc"] or ("desc", "MISSING_CLAIM") in codes
            if claim.disclaimer:
                assert content["desc"].rstrip(" .").endswith(claim.disclaimer.rstrip(" ."))
        for raw in keywords["bullets_must_claims"]:
            claim = parse_claim(raw)
            holders = [b for b in content["bullets"] if claim.text in b]
            assert holders or ("bullets", "MISSING_CLAIM") in codes
            if holders and claim.disclaimer:
                assert holders[0].rstrip(" .").endswith(claim.disclaimer.rstrip(" ."))
        assert content["bullets"][0].startswith("How to: ")  # additions
        assert "Thanks, from the team at QuantumTech!" in content["desc"]
        assert result[product_id]["product"]["attributes"][2]["value"] == colour
        assert ("title", "FALSE_ENTITY") in codes  # the inserted "Red" is a false colour for both variants
