"""The generation job: catalog products by id, variant grouping, feedback as few-shot examples, progress per
product, skipped content types, and token usage."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from domain.ai.repository import AiUsageRepository
from domain.catalog.models import Brand, Product
from resolvers.context import AppServices
from tests.content.helpers import JOBS, counts, generate, minimal_feedback, submit, wait_status
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI, Reply, default_answer
from tests.support.jobs import events_of, load_job


async def make_catalog_product(
    services: AppServices, ws: WorkspaceInfo, *, title: str, colour: str, group: str | None = None
) -> int:
    async with services.unit_of_work() as uow:
        brand = Brand(workspace_id=ws.workspace_id, slug=f"nimbus-{title.lower()}", title="Nimbus")
        uow.session.add(brand)
        await uow.session.flush()
        product = Product(
            workspace_id=ws.workspace_id,
            brand_id=brand.id,
            slug=title.lower().replace(" ", "-"),
            title=title,
            content="A lightweight travel kettle that boils half a litre in two minutes.",
            market="uk",
            language="en",
            variant_group_id=group,
            keywords={"generic": ["kettle", "travel"]},
            attributes={"colour": colour, "capacity": "0.5 l"},
            reviews=[{"review_id": "r1", "review_text": "Boils fast and packs small.", "cust": "kim"}],
        )
        uow.session.add(product)
        await uow.session.flush()
        return product.id


def ids_body(example: dict[str, Any], ids: list[Any]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    del body["products"]
    body["product_ids"] = ids
    return body


async def test_product_ids_with_unknown_ones(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    known = await make_catalog_product(services, workspace, title="Travel Kettle", colour="Silver")
    _, result = await generate(client, workspace, ids_body(example, [str(known), "999999", "abc"]))
    assert list(result) == [str(known), "999999", "abc"]
    entry = result[str(known)]
    assert entry["product"]["product_name"] == "Travel Kettle" and entry["product"]["brand"] == "Nimbus"
    assert entry["product"]["attributes"] == [
        {"name": "colour", "value": "Silver"},
        {"name": "capacity", "value": "0.5 l"},
    ]
    assert "Travel Kettle" in entry["content"]["title"] and "Silver" in entry["content"]["title"]
    assert "boils half a litre" in entry["content"]["desc"]
    for missing in ("999999", "abc"):
        assert result[missing]["content"] == {}
        assert result[missing]["warnings"][0]["code"] == "PRODUCT_NOT_FOUND"


async def test_integer_product_ids_from_the_store_api_are_accepted(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    known = await make_catalog_product(services, workspace, title="Travel Kettle", colour="Silver")
    body = ids_body(example, [])
    body["product_ids"] = [known]  # a JSON integer, as GET /api/products renders it
    _, result = await generate(client, workspace, body)
    assert list(result) == [str(known)]
    assert "Travel Kettle" in result[str(known)]["content"]["title"]


async def test_feedback_names_a_catalog_product_by_its_integer_id(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    known = await make_catalog_product(services, workspace, title="Travel Kettle", colour="Silver")
    body = ids_body(example, [])
    body["product_ids"] = [known]
    job_id, _ = await generate(client, workspace, body)
    # The product id as the store API renders it (an integer), and as the job was submitted.
    response = await client.post(f"{JOBS}/{job_id}/feedback", json=minimal_feedback(known), headers=workspace.headers())
    assert response.status_code == 201, response.text
    assert response.json()["product_id"] == str(known)


async def test_an_id_of_non_ascii_digits_is_an_unknown_product(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    """ "²" passes str.isdigit() but is no number: that product is not found, the others are written."""
    known = await make_catalog_product(services, workspace, title="Travel Kettle", colour="Silver")
    _, result = await generate(client, workspace, ids_body(example, [str(known), "²", "prod_١٢"]))
    assert list(result) == [str(known), "²", "prod_١٢"]
    assert "Travel Kettle" in result[str(known)]["content"]["title"]
    for odd in ("²", "prod_١٢"):
        assert result[odd]["content"] == {}
        assert [w["code"] for w in result[odd]["warnings"]] == ["PRODUCT_NOT_FOUND"]


async def test_catalog_product_without_brand_row_uses_its_brand_attribute(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    async with services.unit_of_work() as uow:
        product = Product(
            workspace_id=workspace.workspace_id,
            slug="aurora",
            title="Aurora Desk Lamp",
            attributes={"Brand": "Lumo", "colour": "black"},
        )
        uow.session.add(product)
        await uow.session.flush()
        product_id = product.id
    _, result = await generate(client, workspace, ids_body(example, [product_id]))
    entry = result[str(product_id)]
    assert entry["product"]["brand"] == "Lumo"
    assert "Lumo" in entry["content"]["title"]


async def test_another_workspaces_product_is_unknown(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    other_workspace: WorkspaceInfo,
    example: dict[str, Any],
) -> None:
    theirs = await make_catalog_product(services, other_workspace, title="Their Kettle", colour="Red")
    _, result = await generate(client, workspace, ids_body(example, [str(theirs)]))
    assert result[str(theirs)]["warnings"][0]["code"] == "PRODUCT_NOT_FOUND"


def variant_body(example: dict[str, Any], *, skip_grouping: bool = False) -> dict[str, Any]:
    body = copy.deepcopy(example)
    red = copy.deepcopy(body["products"][0])
    red["product_id"] = "1234567890002"
    red["attributes"] = [a if a["name"] != "colour" else {"name": "colour", "value": "Red"} for a in red["attributes"]]
    body["products"].append(red)
    body["skip_grouping"] = skip_grouping
    return body


async def test_variants_offline_share_text_but_not_their_colour(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    _, result = await generate(client, workspace, variant_body(example))
    black, red = result["1234567890001"]["content"], result["1234567890002"]["content"]
    assert "Black" in black["title"] and "Red" not in black["title"]
    assert "Red" in red["title"] and "Black" not in red["title"]
    assert black["title"].replace("Black", "Red") == red["title"]
    assert black["desc"].replace("Black", "Red") == red["desc"]


@pytest.mark.provider("openai")
async def test_variant_group_is_written_once(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(
        {
            "title": "QuantumTech Gadget in {{variant.Colour}}",
            "bullets": ["Finish: {{variant.Colour}}.", "Built for modern needs."],
            "desc": "The QuantumTech Gadget in Black is built for modern needs.",  # a literal value, not a placeholder
        }
    )
    _, result = await generate(client, workspace, variant_body(example))
    generation = [r for r in fake_openai.requests if r.schema_name == "product_content"]
    assert len(generation) == 1
    assert "{{variant.Colour}}" in generation[0].user and "Black, Red" in generation[0].user
    black, red = result["1234567890001"]["content"], result["1234567890002"]["content"]
    assert black["title"] == "QuantumTech Gadget in Black"  # the brand prefix is already there
    assert red["title"] == "QuantumTech Gadget in Red"
    assert red["bullets"][0] == "How to: Finish: Red." and black["bullets"][0] == "How to: Finish: Black."
    assert "in Red is built" in red["desc"] and "Black" not in red["desc"]


@pytest.mark.provider("openai")
async def test_skip_grouping_writes_each_product(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    await generate(client, workspace, variant_body(example, skip_grouping=True))
    assert len([r for r in fake_openai.requests if r.schema_name == "product_content"]) == 2


@pytest.mark.provider("openai")
async def test_feedback_becomes_few_shot_examples(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    other_workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    job_id, _ = await generate(client, workspace, example)
    feedback = {
        "product_id": "1234567890001",
        "initial_pdp_content": {"title": "QuantumTech Gadget 2024", "bullets": ["Immersive sound quality"]},
        "corrected_pdp_content": {"title": "QuantumTech Gadget (2024 edition)", "bullets": ["Immersive sound"]},
        "comment_history": [
            {
                "initial_content": "QuantumTech Gadget 2024",
                "content_type": "title",
                "feedback": "Incorrect naming convention",
                "created_at": "2024-01-01T13:00:00Z",
                "created_by": "joe.bloggs",
            }
        ],
    }
    before = await counts(services)
    response = await client.post(f"{JOBS}/{job_id}/feedback", json=feedback, headers=workspace.headers())
    assert response.status_code == 201, response.text
    assert response.json()["job_id"] == job_id and response.json()["product_id"] == "1234567890001"
    assert (await counts(services))[2] == before[2] + 1

    fake_openai.requests.clear()
    await generate(client, workspace, example)
    system = fake_openai.requests[0].system
    assert '"QuantumTech Gadget (2024 edition)"' in system
    assert '"QuantumTech Gadget 2024"' in system
    assert "editor's comment on title: Incorrect naming convention" in system

    # Another workspace's generations never see it.
    fake_openai.requests.clear()
    await generate(client, other_workspace, example)
    assert "2024 edition" not in fake_openai.requests[0].system


@pytest.mark.provider("openai")
async def test_only_skipped_types_make_no_provider_call(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any], fake_openai: FakeOpenAI
) -> None:
    body = copy.deepcopy(example)
    body["content_generation_params"]["content_types"] = ["howtouse"]  # the example's client block skips it
    _, result = await generate(client, workspace, body)
    entry = result["1234567890001"]
    assert entry["content"] == {}
    assert [(w["content_type"], w["code"]) for w in entry["warnings"]] == [("howtouse", "SKIPPED_CONTENT_TYPE")]
    assert fake_openai.requests == []


def one_by_one(example: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """The example with copies of its product under ``ids``, each written on its own (no grouping)."""
    body = copy.deepcopy(example)
    body["skip_grouping"] = True
    body["products"] = [{**copy.deepcopy(example["products"][0]), "product_id": i} for i in ids]
    return body


@pytest.mark.provider("openai")
async def test_progress_per_product_only_moves_forward(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    ids = [f"12345678900{i:02d}" for i in range(1, 9)]
    body = one_by_one(example, ids)
    delays = iter([0.08, 0.01, 0.05, 0.0, 0.07, 0.02, 0.06, 0.03] * 2)  # uneven finishing order
    fake_openai.handler = lambda request: Reply(data=default_answer(request), delay=next(delays, 0.0))
    job_id, result = await generate(client, workspace, body)
    assert list(result) == ids
    events = [e for e in await events_of(services, job_id) if e.data and "product_id" in e.data]
    assert sorted(e.data["product_id"] for e in events if e.data) == sorted(ids)
    progress = [e.progress for e in sorted(events, key=lambda e: e.seq)]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert [e.message for e in events][-1].endswith("(8 of 8).")  # type: ignore[union-attr]


@pytest.mark.provider("openai")
async def test_tokens_spent_before_a_failure_are_still_recorded(
    client: httpx.AsyncClient,
    services: AppServices,
    workspace: WorkspaceInfo,
    example: dict[str, Any],
    fake_openai: FakeOpenAI,
) -> None:
    body = one_by_one(example, ["1234567890001", "1234567890002"])
    fake_openai.script(Reply(data={"title": "Gadget", "bullets": ["One."], "desc": "A gadget."}, usage=(120, 30)))
    fake_openai.handler = lambda request: Reply(status=500)  # every later call fails
    response = await submit(client, workspace, body)
    job_id = response.json()["job_id"]
    assert (await wait_status(client, workspace, job_id))["status"] == "failed"
    job = await load_job(services, job_id)
    assert (job.prompt_tokens, job.completion_tokens) == (120, 30)  # the product that was written
    async with services.read() as session:
        [totals] = await AiUsageRepository(session).totals(workspace.workspace_id)
    assert (totals.prompt_tokens, totals.completion_tokens) == (120, 30)
