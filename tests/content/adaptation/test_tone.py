"""Tone-of-voice adaptation: the style guide's measurable rules offline, the provider's rewrite, limits."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.content.adaptation.tone import StyleRules, person_of, restyle, style_rules
from resolvers.context import AppServices
from tests.content.adaptation.helpers import TONE, run_job
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.jobs import load_job

LOUD: dict[str, Any] = {
    "title": "SuperBlend 3000 Blender!!! 🚀",
    "desc": (
        "Meet the blender that changes everything 😍! It crushes ice in seconds, and it makes smoothies for the "
        "whole family without any fuss at all; cleaning takes a minute."
    ),
    "bullets": ["Crushes ice 🧊!", "Easy to clean!!"],
}


def test_rules_are_read_from_the_guide_text() -> None:
    rules = style_rules(
        {
            "use_of_emoticons": "Emoticons can be used in informal communications but not in professional ones.",
            "emotional_tone": "Neutral",
            "writing_style": "Simple and concise",
        }
    )
    assert rules == StyleRules(
        no_emoji=True,
        no_exclamation=True,
        max_sentence_words=20,
        sources={"emoji": "use_of_emoticons", "exclamation": "emotional_tone", "sentence length": "writing_style"},
    )
    measured = style_rules(
        {"pattern": "Average sentence length is 10 words.", "punctuation": "Exclamation marks are welcome."}
    )
    assert measured.max_sentence_words == 15 and not measured.no_exclamation and not measured.no_emoji
    assert style_rules({"use_of_emoticons": "Use emoji freely 🎉"}).no_emoji is False
    assert style_rules({"punctuation": "Never use exclamation marks."}).no_exclamation is True


def test_restyle_applies_each_rule() -> None:
    rules = StyleRules(no_emoji=True, no_exclamation=True, max_sentence_words=12)
    out = restyle(LOUD["desc"], rules, split=True)
    assert out == (
        "Meet the blender that changes everything. It crushes ice in seconds. It makes smoothies for the whole "
        "family without any fuss at all. Cleaning takes a minute."
    )
    assert restyle("Wow!? Great 👍🏽", rules, split=False) == "Wow? Great"
    assert restyle("Plain text.", StyleRules(), split=True) == "Plain text."
    # Line breaks stay; a clause that would be left a fragment ("which …") is not split off.
    long = "Short one.\nIt goes on, and it keeps going for a long while, which is far too long.\nEnd."
    assert restyle(long, StyleRules(max_sentence_words=8), split=True) == (
        "Short one.\nIt goes on. It keeps going for a long while, which is far too long.\nEnd."
    )


async def test_offline_applies_the_measurable_rules(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    guide = {
        "use_of_emoticons": "Do not use emoji.",
        "punctuation": "Avoid exclamation marks; keep sentences under 12 words.",
        "tone_of_voice": "Warm and friendly",
    }
    job_id, result = await run_job(client, workspace, TONE, {"style_guide": guide, "content": LOUD})
    assert result == {
        "title": "SuperBlend 3000 Blender.",
        "desc": (
            "Meet the blender that changes everything. It crushes ice in seconds. It makes smoothies for the whole "
            "family without any fuss at all. Cleaning takes a minute."
        ),
        "bullets": ["Crushes ice.", "Easy to clean."],
    }
    job = await load_job(services, job_id)
    (note,) = job.result["warnings"]  # type: ignore[index]
    assert note["code"] == "ADAPTED_OFFLINE"
    assert "not applied (a rewrite needs an AI provider): tone_of_voice" in note["description"]


async def test_limits_of_the_built_in_content_types_hold(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    long_title = "Blender " * 30  # 240 characters; a title takes 150
    _, result = await run_job(
        client, workspace, TONE, {"style_guide": {"tone_of_voice": "Calm"}, "content": {"title": long_title}}
    )
    assert len(result["title"]) <= 150


@pytest.mark.provider("openai")
async def test_with_a_provider_the_guide_is_followed_and_texts_shortened(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script({"title": "A calm title " * 20, "desc": "A calm description.", "bullets": ["One.", "Two."]})
    guide = {"tone_of_voice": "Calm", "use_of_emoticons": "Never."}
    job_id, result = await run_job(client, workspace, TONE, {"style_guide": guide, "content": LOUD})
    assert list(result) == ["title", "desc", "bullets"]
    assert result["desc"] == "A calm description." and result["bullets"] == ["One.", "Two."]
    assert len(result["title"]) <= 150
    first, second = fake_openai.requests
    assert "- tone of voice: Calm" in first.system and "Crushes ice 🧊!" in first.user
    assert second.schema_name == "shortened_content"  # content generation's shortening pass
    job = await load_job(services, job_id)
    assert job.result["warnings"] == []  # type: ignore[index]
    assert job.prompt_tokens > 0


def test_person_and_word_choices_are_read_from_the_guide() -> None:
    rules = style_rules(
        {
            "choice_of_words": 'Use "buy" instead of "purchase". Prefer \u201csofa\u201d over \u201ccouch\u201d.',
            "tone_of_voice": "Friendly; address the reader directly.",
        }
    )
    assert rules.person == "second"
    assert rules.word_map == {"purchase": "buy", "couch": "sofa"}
    assert style_rules({"writing_style": "Write in the third person."}).person == "third"
    assert (person_of("We love it"), person_of("You will love it"), person_of("Made in the US.")) == (
        "first",
        "second",
        "third",
    )


async def test_offline_word_choices_apply_and_person_is_checked(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    guide = {
        "choice_of_words": 'Say "sofa" instead of "couch".',
        "tone_of_voice": "Second person: talk to the shopper.",
    }
    content = {"title": "Comfy Couch", "desc": "This couch seats three. Its covers wash at 40 degrees."}
    job_id, result = await run_job(client, workspace, TONE, {"style_guide": guide, "content": content})
    assert result == {"title": "Comfy Sofa", "desc": "This sofa seats three. Its covers wash at 40 degrees."}
    job = await load_job(services, job_id)
    warnings = job.result["warnings"]  # type: ignore[index]
    assert warnings[0]["code"] == "ADAPTED_OFFLINE"
    assert "word choices replaced (choice_of_words)" in warnings[0]["description"]
    assert warnings[1] == {
        "content_type": "desc",
        "code": "STYLE_NOT_APPLIED",
        "description": "desc is written in the third person; the style guide asks for the second person "
        "(rewriting it needs an AI provider)",
    }
