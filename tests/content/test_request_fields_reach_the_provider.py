"""Every field of the documented request reaches the provider: end to end through the submit endpoint, with
the real SDK against the test server, one distinctive marker per field so a dropped field fails the test.

The example's keyword groups (``MustIncludeThisTitleKeywordGroup`` ...) name groups the example product does
not have; here the product gets them, so each kind (must / should / omit / verbatim_must_claims /
non_verbatim_optional_claims) is resolved against the product's ``keywords`` and lands in its own type.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.content.helpers import generate
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI, RecordedRequest

pytestmark = pytest.mark.provider("openai")
PRODUCT_ID = "1234567890001"
TYPES = ("title", "bullets", "desc", "features")


def marked_body(example: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    product = body["products"][0]
    product["keywords"].update(
        {
            "MustIncludeThisTitleKeywordGroup": ["titlemustword"],
            "IncludeThisTitleKeywordGroup": ["titleshouldword"],
            "SomeBadTitleKeywordGroup": ["titleomitword"],
            "MustIncludeThisBulletsKeywordGroup": ["bulletsmustword"],
            "IncludeThisBulletsKeywordGroup": ["bulletsshouldword"],
            "SomeBadBulletsKeywordGroup": ["bulletsomitword"],
            "MustIncludeThisDescKeywordGroup": ["descmustword"],
            "IncludeThisDescKeywordGroup": ["descshouldword"],
            "SomeBadDescKeywordGroup": ["descomitword"],
            "top_should": ["topshouldword"],
        }
    )
    product["attributes"].append({"name": "size", "value": "XL-marker"})
    gp = body["content_generation_params"]
    gp.update(market="market-marker", channel="ChannelMarker", language="lang-marker")
    gp["content_types"] = ["title", "bullets", "desc", "features", "howtouse"]
    config = gp["content_config"]
    config["word_map"]["Zorblat"] = "Quuxify"
    config["tone"] = {
        "QuantumTech": {"brand tone key": "BRAND-TONE-MARKER"},
        "GENERIC": {"generic tone key": "GENERIC-TONE-MARKER"},
    }
    config["guidelines"] = ["TOP-GUIDELINE-MARKER"]
    config["restrictions"] = ["TOP-RESTRICTION-MARKER"]
    config["keyword_groups"] = {"should": ["top_should"]}
    config["style_guide"] = {key: f"{key}-style-marker" for key in config["style_guide"]}
    client = config["client"]
    client["content_type_family_map"]["features"] = "bullets"
    client["validation_entities"] = ["PRODUCT_NAME", "SIZE"]
    client["false_words_entity_map"] = {"COLOR": "Colour", "SIZE": "Size"}
    config["content_types"]["features"] = {
        "task": "FEATURES-TASK-MARKER: list 3 features.",
        "character_limit": 77,
        "guidelines": ["FEATURES-GUIDELINE-MARKER"],
        "restrictions": ["FEATURES-RESTRICTION-MARKER"],
    }
    return body


def section(user: str, name: str) -> str:
    """The part of the user prompt about one content type."""
    start = user.index(f'\n"{name}" (')
    ends = [i for i in (user.find(f'\n"{n}" (', start + 1) for n in TYPES) if i > start]
    return user[start : min(ends) if ends else len(user)]


def generation_request(fake: FakeOpenAI) -> RecordedRequest:
    [request] = [r for r in fake.requests if r.schema_name == "product_content"]
    return request


async def test_every_request_field_reaches_the_prompt(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    body = marked_body(example)
    _, result = await generate(client, workspace, body)
    request = generation_request(fake_openai)
    system, user = request.system, request.user

    # market, channel, language
    assert "Market: market-marker." in system
    assert "'lang-marker'" in system
    assert "Sales channel: ChannelMarker." in system
    # word_map
    assert '"Zorblat" -> "Quuxify"' in system and '" - " -> ", "' in system
    # client.forbidden_words
    assert "shopper barrier, shopping barrier" in system
    # style_guide: every key, for style_guide_content_types only
    assert "Style guide (applies to bullets, desc):" in system
    for key in body["content_generation_params"]["content_config"]["style_guide"]:
        assert f"{key.replace('_', ' ')}: {key}-style-marker" in system, key

    # client.prompt_attributes through client.field_map (display names)
    assert "- Long Product Name: Some Gadget" in user and "- Colour: Black" in user
    # client.review_attributes names "Reviews": the reviews are in
    assert "An innovative product that exceeded my expectations!" in user
    # client.validation_entities with false_words_entity_map
    assert "- the product name is QuantumTech Gadget" in user
    assert "- the size is XL-marker" in user

    # content_types and client.content_type_family_map (the schema), client.skip_content_types
    assert request.schema is not None
    assert request.schema["required"] == ["title", "bullets", "desc", "features"]  # howtouse skipped
    assert request.schema["properties"]["features"]["type"] == "array"
    assert request.schema["properties"]["desc"]["type"] == "string"
    warnings = result[PRODUCT_ID]["warnings"]
    assert {"content_type": "howtouse", "code": "SKIPPED_CONTENT_TYPE"}.items() <= next(
        w for w in warnings if w["content_type"] == "howtouse"
    ).items()

    title, bullets, desc, features = (section(user, n) for n in TYPES)
    # per type: task, character_limit, guidelines, restrictions (own and top-level)
    assert "Write a Ecommerce sales title for the product." in title and "At most 100 characters" in title
    assert "I want 5 bullet points" in bullets and "At most 250 characters for each bullet point" in bullets
    assert "Use about 200 words." in desc and "At most 1000 characters" in desc
    assert "FEATURES-TASK-MARKER" in features and "At most 77 characters for each bullet point" in features
    assert "Don't mention any competitor." in title and "Never use ALL CAPS" in title
    assert "concise sentence fragments without verbs" in bullets and "Conclude each bullet point" in bullets
    assert "Don't use hashtags" in desc and "Write in complete sentences" in desc
    assert "FEATURES-GUIDELINE-MARKER" in features and "FEATURES-RESTRICTION-MARKER" in features
    assert "FEATURES-GUIDELINE-MARKER" not in title
    for part in (title, bullets, desc, features):
        assert "TOP-GUIDELINE-MARKER" in part and "TOP-RESTRICTION-MARKER" in part
        assert "topshouldword" in part  # top-level keyword_groups apply to every type

    # keyword_groups resolved against the product's keywords, each in its own type only
    for name, part in (("title", title), ("bullets", bullets), ("desc", desc)):
        assert f"Must include each of these keywords: {name}mustword." in part, name
        assert f"{name}shouldword" in part and "read naturally" in part, name
        assert f"Never use these words: {name}omitword." in part, name
        others = [n for n in ("title", "bullets", "desc") if n != name]
        assert not any(f"{o}mustword" in part for o in others), name
    assert "descomitword" not in user.split("Search keywords:")[1].split("\n")[0]  # omit is never a search word
    # verbatim_must_claims with their disclaimers; non_verbatim_optional_claims
    assert (
        'Include this claim word for word: "A simple claim that is verbatim and must be included within the '
        'bullet points".' in bullets
    )
    assert "end the bullets with this disclaimer word for word" in bullets
    assert "end the desc with this disclaimer word for word" in desc
    assert "You may include these claims in your own words: A simple claim that is non-verbatim" in bullets
    assert "can optionally be included within the description" in desc
    assert "optional" not in title.lower()
    # additions: the writer is told which template is applied afterwards
    assert '"{{attr.brand}}, {{title}}, {{attr.sub_brand}}"' in title
    assert '"How to: {{bullets_1}}"' in bullets
    # tone by brand, for tone_content_types only
    assert "BRAND-TONE-MARKER" in bullets and "BRAND-TONE-MARKER" in desc
    assert "BRAND-TONE-MARKER" not in title and "BRAND-TONE-MARKER" not in features
    assert "GENERIC-TONE-MARKER" not in user


async def test_guidelines_shortener_reach_the_shortening_call(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    body = copy.deepcopy(example)
    body["content_generation_params"]["content_config"]["guidelines_shortener"] = ["TOP-SHORTENER-MARKER"]
    fake_openai.break_rules(too_long=1500)
    await generate(client, workspace, body)
    [shortening] = [r for r in fake_openai.requests if r.schema_name == "shortened_content"]
    user = shortening.user
    parts = {name: user[user.index(f'"{name}" (') :] for name in ("title", "bullets", "desc")}
    assert "Respect the order of appearance." in parts["title"].split('"bullets" (')[0]
    assert "Always finish a bullet point with a full stop." in parts["bullets"].split('"desc" (')[0]
    assert "Always ensure grammar is correct." in parts["desc"]
    assert user.count("TOP-SHORTENER-MARKER") == 3  # the top-level shortener guidelines apply to every type
    assert "'en'" in shortening.system  # the request's language
