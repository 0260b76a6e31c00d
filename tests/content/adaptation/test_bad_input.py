"""Bad input to the adaptation endpoints answers 4xx ``{"code","message"}`` (field paths in ``errors``) and
writes nothing; another workspace's job is not found."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from resolvers.context import AppServices
from tests.content.adaptation.helpers import CHANNEL, TONE, TRANSLATE, example, job_count, run_job
from tests.support.factories import WorkspaceInfo

Change = Callable[[dict[str, Any]], None]


def _params(b: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = b["content_generation_params"]
    return params


def _set(path: str, value: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value

    return change


def _delete(path: str) -> Change:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return change


CHANNEL_CASES: list[tuple[str, Change, str]] = [
    ("unknown market", _set("content_generation_params.market", "atlantis"), "content_generation_params.market"),
    ("unknown language", _set("content_generation_params.language", "xx"), "content_generation_params.language"),
    ("unknown channel", _set("content_generation_params.channel", "Nowhere"), "content_generation_params.channel"),
    (
        "unknown source channel",
        _set("content_generation_params.source_channel", "Nowhere"),
        "content_generation_params.source_channel",
    ),
    ("no items", _set("items", []), "items"),
    ("unknown product market", _set("items.0.product.market", "zz"), "items[0].product.market"),
    ("unknown product language", _set("items.0.product.language", "klingon"), "items[0].product.language"),
    ("no channel", _delete("content_generation_params.channel"), "content_generation_params.channel"),
    ("undocumented model", _set("adaptation_model_name", "gpt-5-chat"), "adaptation_model_name"),
    ("bad callback", _set("callback_url", "not a url"), "callback_url"),
    ("empty content", _set("items.0.pdp_content", {}), "items[0].pdp_content"),
    ("bad product", _delete("items.0.product.attributes"), "items[0].product.attributes"),
    ("unknown field", _set("extra", 1), "extra"),
    (
        "bad config",
        _set("content_generation_params.content_config", {"content_types": {"title": {"character_limit": 0}}}),
        "content_generation_params.content_config.content_types.title.character_limit",
    ),
    (
        "unknown saved config",
        _set("content_generation_params.content_config", "nosuchconfig"),
        "content_generation_params.content_config",
    ),
    (
        "a type the channel does not take",
        _set("content_generation_params.content_types", ["title", "haiku"]),
        "content_generation_params.content_types[1]",
    ),
]

TONE_CASES: list[tuple[str, Change, str]] = [
    ("null style guide", _set("style_guide", None), "style_guide"),
    ("empty style guide", _set("style_guide", {}), "style_guide"),
    ("blank style guide", _set("style_guide", {"tone_of_voice": "  ", "pitch": ""}), "style_guide"),
    ("missing style guide", _delete("style_guide"), "style_guide"),
    ("no content", _set("content", {}), "content"),
    ("content not text", _set("content", {"title": 5}), "content.title"),
    ("undocumented model", _set("adaptation_model_name", "gpt-4o"), "adaptation_model_name"),
]

TRANSLATION_CASES: list[tuple[str, Change, str]] = [
    ("six languages", _set("languages", ["fr_FR", "es_ES", "de_DE", "it_IT", "pt_PT", "nl_NL"]), "languages"),
    ("no languages", _set("languages", []), "languages"),
    ("unknown language", _set("languages", ["fr_FR", "xx_XX"]), "languages[1]"),
    ("unknown market in a language", _set("languages", ["fr_ZZ"]), "languages[0]"),
    ("a language twice", _set("languages", ["fr_FR", "fr-fr"]), "languages"),
    (
        "glossary of an unknown language",
        _set("translated_keywords", {"qq_QQ": {"a": "b"}}),
        "translated_keywords.qq_QQ.[key]",
    ),
    ("glossary not a map", _set("translated_keywords", {"fr_FR": ["laptop"]}), "translated_keywords.fr_FR"),
    ("undocumented model", _set("translation_model_name", "gpt-4"), "translation_model_name"),
    ("no content", _delete("pdp_content"), "pdp_content"),
]


async def assert_refused(
    client: httpx.AsyncClient, services: AppServices, ws: WorkspaceInfo, path: str, body: Any, field: str
) -> None:
    before = await job_count(services)
    response = await client.post(path, json=body, headers=ws.headers())
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["code"] == "bad_request" and isinstance(answer["message"], str) and answer["message"]
    assert field in answer["errors"], answer
    assert await job_count(services) == before


@pytest.mark.parametrize(("case", "change", "field"), CHANNEL_CASES, ids=[c[0] for c in CHANNEL_CASES])
async def test_bad_channel_requests(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, case: str, change: Change, field: str
) -> None:
    body = copy.deepcopy(example("channel"))
    change(body)
    await assert_refused(client, services, workspace, CHANNEL, body, field)


@pytest.mark.parametrize(("case", "change", "field"), TONE_CASES, ids=[c[0] for c in TONE_CASES])
async def test_bad_tone_requests(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, case: str, change: Change, field: str
) -> None:
    body = copy.deepcopy(example("tone"))
    change(body)
    await assert_refused(client, services, workspace, TONE, body, field)


@pytest.mark.provider("openai")  # bad input is refused before the provider is asked for
@pytest.mark.parametrize(("case", "change", "field"), TRANSLATION_CASES, ids=[c[0] for c in TRANSLATION_CASES])
async def test_bad_translation_requests(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, case: str, change: Change, field: str
) -> None:
    body = copy.deepcopy(example("translation"))
    change(body)
    await assert_refused(client, services, workspace, TRANSLATE, body, field)


async def test_six_languages_are_refused_offline_too(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    body = example("translation")
    body["languages"] = ["fr_FR", "es_ES", "de_DE", "it_IT", "pt_PT", "nl_NL"]
    await assert_refused(client, services, workspace, TRANSLATE, body, "languages")


@pytest.mark.parametrize("path", [CHANNEL, TONE, TRANSLATE])
@pytest.mark.parametrize("raw", ['{"items": [', "", "[1, 2]", "null"])
async def test_malformed_json_and_non_objects(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, path: str, raw: str
) -> None:
    before = await job_count(services)
    headers = {**workspace.headers(), "content-type": "application/json"}
    response = await client.post(path, content=raw, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) >= {"code", "message"}
    assert await job_count(services) == before


async def test_unauthenticated_submit_is_refused(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    response = await client.post(TONE, json=example("tone"))
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("jobs", [CHANNEL, TONE, TRANSLATE])
@pytest.mark.parametrize("suffix", ["status", "result"])
async def test_unknown_job_ids_are_404(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, jobs: str, suffix: str
) -> None:
    for job_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = await client.get(f"{jobs}/{job_id}/{suffix}", headers=workspace.headers())
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Job not found."}


async def test_another_workspaces_job_and_another_kinds_job_are_404(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    channel_job, _ = await run_job(client, workspace, CHANNEL, example("channel"))
    tone_job, _ = await run_job(client, workspace, TONE, example("tone"))
    for suffix in ("status", "result", "config"):
        theirs = await client.get(f"{CHANNEL}/{channel_job}/{suffix}", headers=other_workspace.headers())
        assert theirs.status_code == 404 and theirs.json()["code"] == "not_found"
    for suffix in ("status", "result"):
        theirs = await client.get(f"{TONE}/{tone_job}/{suffix}", headers=other_workspace.headers())
        assert theirs.status_code == 404
        # A job of another kind is not one of these.
        wrong_kind = await client.get(f"{TRANSLATE}/{tone_job}/{suffix}", headers=workspace.headers())
        assert wrong_kind.status_code == 404
    assert (await client.get(f"{TONE}/{channel_job}/status", headers=workspace.headers())).status_code == 404
