"""Tone-of-voice analysis end to end: the document's example (offline and with the test server) gives a style
guide in the documented shape; offline, each field rests on measured numbers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain.content.analysis.tone_guide import offline_style_guide
from domain.content.analysis.tone_measures import measure
from resolvers.context import AppServices
from tests.content.analysis.helpers import STYLE_GUIDE_KEYS, TONE, result_of, tone_example
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql
from tests.support.jobs import load_job

TYPED = """
query($id: ID!) { toneOfVoiceAnalysisResult(jobId: $id) {
  status method measures styleGuide { toneOfVoice writingStyle targetAudience industry } } }
"""


def assert_guide(guide: dict[str, Any]) -> None:
    assert list(guide) == STYLE_GUIDE_KEYS
    assert all(isinstance(v, str) and v.strip() for v in guide.values()), guide


async def test_example_offline(client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo) -> None:
    job_id, guide = await result_of(client, workspace, TONE, tone_example())
    assert_guide(guide)
    # The laptop PDP: short feature lines with figures, no emoji, neutral.
    assert guide["writing_style"].startswith("Simple and concise")
    assert "Flesch reading ease" in guide["target_audience"]
    assert guide["pitch"].startswith("Feature-led") and "'16GB'" in guide["pitch"]
    assert guide["use_of_emoticons"].startswith("No emoji")
    assert guide["emotional_tone"].startswith("Neutral")
    job = await load_job(services, job_id)
    assert job.external_tracking_id == tone_example()["external_tracking_id"] and job.prompt_tokens == 0
    _status, body = await gql(client, TYPED, {"id": job_id}, token=workspace.api_key)
    typed = body["data"]["toneOfVoiceAnalysisResult"]
    assert typed["method"] == "offline" and typed["styleGuide"]["toneOfVoice"] == guide["tone_of_voice"]
    assert typed["measures"]["words"] == 33 and typed["measures"]["figures"] == ["16GB", "512GB"]


def test_measures_tell_informal_copy_from_formal_copy() -> None:
    formal = [
        {
            "title": "Stainless Steel Kettle",
            "desc": "The kettle boils 1.7 litres in four minutes. It switches off "
            "automatically when the water has boiled.",
            "bullets": ["1.7 litre capacity.", "Automatic shut-off."],
        }
    ]
    chatty = [
        {
            "title": "Glow Serum \u2728",
            "desc": "You'll love it! Your skin gets that dewy glow :) We think it's "
            "the best thing you'll try this year!",
            "bullets": ["Dewy glow for you \U0001f4a7", "Gentle, so gentle!"],
        }
    ]
    f, c = measure(formal, "en"), measure(chatty, "en")
    assert f.contractions == 0 and c.contractions == 3  # you'll, it's, you'll
    assert c.person is not None and c.person["second"] >= 4 and c.person["first"] == 1
    assert c.emoji == ["\u2728", "\U0001f4a7"] and c.emoticons == [":)"] and f.emoji == []
    assert c.exclamations == 3 and f.exclamations == 0
    assert c.sentiment is not None and f.sentiment is not None and c.sentiment > f.sentiment
    assert f.figure_sentences >= 2 and c.figure_sentences == 0
    assert f.colons == 0 and c.colons == 0  # the emoticon's colon is not punctuation
    formal_guide, chatty_guide = offline_style_guide(f), offline_style_guide(c)
    assert formal_guide["tone_of_voice"].startswith("Formal")
    assert chatty_guide["tone_of_voice"].startswith("Informal and conversational")
    assert chatty_guide["use_of_emoticons"].startswith("Frequent emoji")
    assert chatty_guide["emotional_tone"].startswith("Warm")
    # Another language: measured where the libraries can (reading ease), said plainly where they cannot.
    german = offline_style_guide(measure([{"desc": "Das ist ein sehr gutes Produkt. Wir lieben es."}], "de"))
    assert "Flesch reading ease" in german["target_audience"]
    assert german["emotional_tone"].startswith("Not measured offline for 'de'")


@pytest.mark.provider("openai")
async def test_example_with_provider(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    answer = {key: f"Model says {key.replace('_', ' ')}." for key in STYLE_GUIDE_KEYS}
    answer["pattern"] = "   "  # a field left blank keeps the measured judgement
    fake_openai.script(answer)
    job_id, guide = await result_of(client, workspace, TONE, tone_example())
    assert_guide(guide)
    assert guide["tone_of_voice"] == "Model says tone of voice." and guide["industry"] == "Model says industry."
    assert guide["pattern"].startswith("Short sections with bullet points")
    sent = fake_openai.requests[0]
    assert fake_openai.calls == 1 and sent.schema_name == "style_guide" and sent.model == "gpt-4.1"
    assert sent.schema is not None and sent.schema["required"] == STYLE_GUIDE_KEYS
    assert "16GB RAM for seamless multitasking." in sent.user and '"words_per_sentence"' in sent.user
    assert (await load_job(services, job_id)).prompt_tokens > 0


@pytest.mark.provider("openai")
async def test_example_with_the_servers_own_answer(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    body = tone_example()
    body["analysis_model_name"] = "gpt-5-chat"
    _, guide = await result_of(client, workspace, TONE, body)
    assert_guide(guide)


async def test_graphql_twins_start_the_jobs(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    mutation = """mutation($input: AnalyseToneOfVoiceInput!) { analyseToneOfVoice(input: $input) {
      job { jobId kind status } userErrors { field code message } } }"""
    example = tone_example()
    variables = {"input": {"items": example["items"], "analysisModelName": "gpt-4.1"}}
    status, body = await gql(client, mutation, variables, token=workspace.api_key)
    assert status == 200 and body["data"]["analyseToneOfVoice"]["userErrors"] == [], body
    assert body["data"]["analyseToneOfVoice"]["job"]["kind"] == "content.analysis.tone_of_voice"
    bad = {"input": {"items": example["items"] * 6, "analysisModelName": "gpt-2"}}
    status, body = await gql(client, mutation, bad, token=workspace.api_key)
    errors = body["data"]["analyseToneOfVoice"]["userErrors"]
    assert {e["field"] for e in errors} == {"items", "analysis_model_name"}, errors

    summarise = """mutation($input: SummariseReviewsInput!) { summariseReviews(input: $input) {
      job { jobId kind } userErrors { field code message } } }"""
    review = {
        "market": "uk",
        "language": "en",
        "productDesc": "A bag",
        "outputId": "bag",
        "reviewTexts": ["Love it.", "x" * 1001],
    }
    status, body = await gql(client, summarise, {"input": review}, token=workspace.api_key)
    assert body["data"]["summariseReviews"]["userErrors"][0]["field"] == "review_texts.1", body
    review["reviewTexts"] = ["Love it, so comfortable.", "The zip broke."]
    status, body = await gql(client, summarise, {"input": review}, token=workspace.api_key)
    assert body["data"]["summariseReviews"]["job"]["kind"] == "content.analysis.review_summariser", json.dumps(body)
