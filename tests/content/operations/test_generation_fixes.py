"""Regressions found when content generation was tried as a new user would: HTML in catalog descriptions,
invented variant groups, model names checked per operation, and bad callback URLs answered like every other
body problem. Also: every documented ``*_model_name`` enum, in one table."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
import pytest

from domain.ai.service import (
    CHANNEL_ADAPTATION,
    CONTENT_GENERATION,
    MODEL_FIELDS,
    TONE_OF_VOICE_ADAPTATION,
    TONE_OF_VOICE_ANALYSIS,
    TRANSLATION,
    check_model_name,
    resolve_model,
)
from domain.catalog.models import Product
from domain.content.products import text_of_html
from domain.errors import InvalidInput
from resolvers.context import AppServices
from tests.content.helpers import JOBS, counts, generate, submit
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI

HTML = (
    "<h2>Travel kettle</h2><p>Boils half a litre in <strong>two minutes</strong> &amp; folds flat.</p>"
    "<ul><li>Dual voltage</li><li>Silicone body</li></ul><script>track()</script><style>p{color:red}</style>"
)
TAG = re.compile(r"<[^>]+>|&amp;|&lt;|track\(\)|color:red")


async def catalog_product(services: AppServices, ws: WorkspaceInfo, title: str, content: str) -> int:
    async with services.unit_of_work() as uow:
        product = Product(
            workspace_id=ws.workspace_id,
            slug=title.lower().replace(" ", "-"),
            title=title,
            content=content,
            market="uk",
            language="en",
            attributes={"brand": "Nimbus", "colour": "Silver"},
        )
        uow.session.add(product)
        await uow.session.flush()
        return product.id


def by_ids(example: dict[str, Any], ids: list[int]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    del body["products"]
    body["product_ids"] = [str(i) for i in ids]
    return body


def test_text_of_html() -> None:
    assert text_of_html(HTML) == (
        "Travel kettle. Boils half a litre in two minutes & folds flat. Dual voltage. Silicone body."
    )
    assert text_of_html("Plain text, 5 < 6 and  spaces.") == "Plain text, 5 < 6 and spaces."
    assert text_of_html("<p>One block only</p>") == "One block only"


async def test_html_descriptions_are_read_as_text_offline(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    product_id = await catalog_product(services, workspace, "Travel Kettle", HTML)
    _, result = await generate(client, workspace, by_ids(example, [product_id]))
    entry = result[str(product_id)]
    assert entry["product"]["product_description"].startswith("Travel kettle. Boils half a litre in two minutes")
    written = [entry["content"]["title"], entry["content"]["desc"], *entry["content"]["bullets"]]
    assert not [text for text in written if TAG.search(text)], written
    assert "folds flat" in entry["content"]["desc"]


@pytest.mark.provider("openai")
async def test_html_descriptions_reach_the_provider_as_text(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    product_id = await catalog_product(services, workspace, "Travel Kettle", HTML)
    _, result = await generate(client, workspace, by_ids(example, [product_id]))
    prompt = fake_openai.requests[0].user
    assert "Boils half a litre in two minutes & folds flat." in prompt and not TAG.search(prompt)
    entry = result[str(product_id)]
    assert not TAG.search(entry["content"]["desc"]) and not any(TAG.search(b) for b in entry["content"]["bullets"])


async def test_catalog_products_without_a_variant_group_stand_alone(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    first = await catalog_product(services, workspace, "Red Kettle", "A red kettle.")
    second = await catalog_product(services, workspace, "Blue Kettle", "A blue kettle.")
    _, result = await generate(client, workspace, by_ids(example, [first, second]))
    for product_id, name in ((first, "Red Kettle"), (second, "Blue Kettle")):
        entry = result[str(product_id)]
        assert "variant_group_id" not in entry["product"]  # none is invented
        assert name in entry["content"]["title"]
    assert "Blue" not in result[str(first)]["content"]["title"]  # each written on its own


def test_every_documented_model_name_enum() -> None:
    assert {op: (f.field, f.allowed) for op, f in MODEL_FIELDS.items()} == {
        CONTENT_GENERATION: ("generation_model_name", ("gpt-4.1",)),
        TONE_OF_VOICE_ANALYSIS: ("analysis_model_name", ("gpt-4.1", "gpt-5-chat")),
        CHANNEL_ADAPTATION: ("adaptation_model_name", ("gpt-4.1",)),
        TONE_OF_VOICE_ADAPTATION: ("adaptation_model_name", ("gpt-4.1", "gpt-5-chat")),
        TRANSLATION: ("translation_model_name", ("gpt-4.1", "gpt-5-chat")),
    }
    for operation, spec in MODEL_FIELDS.items():
        for name in spec.allowed:
            check_model_name(operation, name)
            assert resolve_model(name, "local", operation=operation) == {"gpt-4.1": "gpt-4.1"}.get(
                name, "gpt-5-chat-latest"
            )
            assert resolve_model(name, "local", pinned=True, operation=operation) == "local"
        assert resolve_model(None, "local", operation=operation) == "local"
        with pytest.raises(InvalidInput) as refused:
            check_model_name(operation, "gpt-2")
        assert refused.value.field_errors[0].loc == (spec.field,)
    with pytest.raises(InvalidInput):
        resolve_model("gpt-5-chat", "local", operation=CONTENT_GENERATION)


@pytest.mark.parametrize("name", ["gpt-5-chat", "gpt-2", "GPT-4.1"])
async def test_generation_takes_only_its_own_model_name(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any], name: str
) -> None:
    before = await counts(services)
    response = await submit(client, workspace, {**example, "generation_model_name": name})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_request"
    assert body["errors"] == {
        "generation_model_name": [f"Unknown model '{name}' for content generation; allowed: \"gpt-4.1\"."]
    }
    assert await counts(services) == before


@pytest.mark.provider("openai")
async def test_the_documented_model_name_is_called(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    await generate(client, workspace, {**example, "generation_model_name": "gpt-4.1"})
    assert {r.model for r in fake_openai.requests} == {"gpt-4.1"}


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "ftp://hooks.example.com/x",
        "https://user:pw@hooks.example.com/x",
        "//hooks.example.com/x",
        "https://",
        5,
    ],
)
async def test_bad_callback_urls_are_bad_requests(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any], url: Any
) -> None:
    before = await counts(services)
    response = await client.post(JOBS, json={**example, "callback_url": url}, headers=workspace.headers())
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "bad_request" and list(body["errors"]) == ["callback_url"]
    assert body["message"].startswith("Invalid request body: callback_url: ")
    assert await counts(services) == before
