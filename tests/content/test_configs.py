"""Content configurations: create, list by scope, get, replace, delete, the 100-configuration bound; and a job
that names one."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from domain.content.configs import ContentConfigService, parse_config
from domain.content.defaults import PUBLIC_CONFIGS, builtin_config_id
from resolvers.context import AppServices
from tests.content.helpers import CONFIGS, JOBS, counts, generate
from tests.support.factories import WorkspaceInfo

LAPTOPS = {
    "name": "laptops",
    "description": "My custom configuration for laptops.",
    "content_config": {
        "guidelines": ["This is a guideline."],
        "guidelines_shortener": ["This is a shortener guideline."],
        "restrictions": ["This is a restriction."],
        "word_map": {"Foo": "Bar"},
        "tone": {"SomeBrand": {"SomeToneKey": "SomeToneValue"}},
        "keyword_groups": {"should": ["generic_keyword", "product_category_keyword"], "omit": ["word_to_avoid"]},
        "client": {
            "prompt_attributes": ["Long Product Name", "Brand", "Colour"],
            "forbidden_words": ["shopper barrier", "shopping barrier"],
            "content_type_family_map": {
                "title": "title",
                "bullets": "bullets",
                "desc": "string",
                "short_title": "title",
                "long_title": "title",
                "short_desc": "string",
            },
            "field_map": {
                "short_description": "Sub Category",
                "reviews": "Reviews",
                "brand": "Brand",
                "long_product_name": "Long Product Name",
            },
            "validation_entities": ["PRODUCT_NAME", "SIZE"],
            "false_words_entity_map": {"COLOR": "Colour", "SIZE": "Size"},
            "review_attributes": ["Reviews", "Positive reviews"],
            "variant_data_fields": ["Colour", "Effect"],
            "tone_content_types": ["bullets", "short_bullets", "desc", "short_desc"],
            "skip_content_types": ["title", "howtouse"],
        },
        "content_types": {
            "title": {
                "task": "Write a title for the product...",
                "character_limit": 100,
                "guidelines": ["This is a good guideline."],
                "guidelines_shortener": ["This is a shortener good guideline."],
                "restrictions": ["This is a good restriction."],
                "additions": {"title": "{{attr.brand}}, {{title}}, {{attr.sub_brand}}"},
                "keyword_groups": {"must": ["title_keyword"]},
            },
            "desc": {
                "task": "Write a description for the product...",
                "character_limit": 1000,
                "keyword_groups": {"should": ["description_keyword"]},
            },
            "bullets": {
                "task": "Write some bullets for the product...",
                "character_limit": 250,
                "additions": {"bullets_1": "How to: {{bullets_1}}", "bullets_3": "Ingredients: {{bullets_3}}"},
            },
        },
    },
}


async def test_documented_config_lifecycle(client: httpx.AsyncClient, workspace: WorkspaceInfo) -> None:
    h = workspace.headers()
    created = await client.post(CONFIGS, json=LAPTOPS, headers=h)
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {"config_id", "name", "description", "content_config", "scope", "created_at", "updated_at"}
    assert body["scope"] == "PRIVATE" and body["name"] == "laptops"
    assert body["content_config"] == LAPTOPS["content_config"]
    assert body["created_at"].endswith("Z")
    config_id = body["config_id"]

    fetched = await client.get(f"{CONFIGS}/{config_id}", headers=h)
    assert fetched.status_code == 200 and fetched.json() == body

    listed = (await client.get(CONFIGS, headers=h)).json()
    assert {"config_id": config_id, "name": "laptops", "description": LAPTOPS["description"], "scope": "PRIVATE"} in (
        listed
    )
    private = (await client.get(CONFIGS, params={"scope": "PRIVATE"}, headers=h)).json()
    public = (await client.get(CONFIGS, params={"scope": "PUBLIC"}, headers=h)).json()
    assert [c["config_id"] for c in private] == [config_id]
    assert {c["scope"] for c in public} == {"PUBLIC"} and config_id not in {c["config_id"] for c in public}

    replaced = await client.put(
        f"{CONFIGS}/{config_id}",
        json={"name": "phones", "description": None, "content_config": {"word_map": {"a": "b"}}},
        headers=h,
    )
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "phones" and replaced.json()["description"] is None
    assert replaced.json()["content_config"] == {"word_map": {"a": "b"}}

    deleted = await client.delete(f"{CONFIGS}/{config_id}", headers=h)
    assert deleted.status_code == 204
    assert (await client.get(f"{CONFIGS}/{config_id}", headers=h)).status_code == 404


async def test_names_are_unique_and_public_configs_read_only(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, other_workspace: WorkspaceInfo
) -> None:
    assert (await client.post(CONFIGS, json=LAPTOPS, headers=workspace.headers())).status_code == 201
    again = await client.post(CONFIGS, json=LAPTOPS, headers=workspace.headers())
    assert again.status_code == 409 and again.json()["code"] == "config_name_taken"
    # Another workspace may use the same name, and cannot see ours.
    theirs = await client.post(CONFIGS, json=LAPTOPS, headers=other_workspace.headers())
    assert theirs.status_code == 201
    ours = (await client.get(CONFIGS, params={"scope": "PRIVATE"}, headers=workspace.headers())).json()
    assert theirs.json()["config_id"] not in {c["config_id"] for c in ours}
    foreign = await client.get(f"{CONFIGS}/{theirs.json()['config_id']}", headers=workspace.headers())
    assert foreign.status_code == 404

    default_id = builtin_config_id("default")
    public = await client.get(f"{CONFIGS}/{default_id}", headers=workspace.headers())
    assert public.status_code == 200 and public.json()["scope"] == "PUBLIC"
    for method in ("PUT", "DELETE"):
        response = await client.request(
            method, f"{CONFIGS}/{default_id}", json={"name": "x", "content_config": {}}, headers=workspace.headers()
        )
        assert response.status_code == 403 and set(response.json()) >= {"code", "message"}


async def test_job_uses_a_saved_config_merged_with_overrides(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, example: dict[str, Any]
) -> None:
    saved = (await client.post(CONFIGS, json=LAPTOPS, headers=workspace.headers())).json()
    body = copy.deepcopy(example)
    override = body["content_generation_params"]["content_config"]
    override["client"] = {"skip_content_types": ["howtouse"]}  # un-skip the title the saved config skips
    override["content_types"] = {"title": {"character_limit": 60}}
    body["content_generation_params"]["content_config_id"] = "laptops"
    job_id, result = await generate(client, workspace, body)

    used = (await client.get(f"{JOBS}/{job_id}/config", headers=workspace.headers())).json()
    assert used["guidelines"] == ["This is a guideline."]  # from the saved configuration
    # Objects merge key by key: the saved word map plus the request's.
    assert used["word_map"] == {"Foo": "Bar", " - ": ", ", "Not Applicable": ""}
    assert used["content_types"]["title"]["character_limit"] == 60  # overridden ...
    assert used["content_types"]["title"]["task"] == "Write a title for the product..."  # ... the rest kept
    assert used["client"]["skip_content_types"] == ["howtouse"]
    assert used["client"]["prompt_attributes"] == ["Long Product Name", "Brand", "Colour"]
    content = result["1234567890001"]["content"]
    assert len(content["title"]) <= 60
    assert content["bullets"][2].startswith("Ingredients: ")  # the saved bullets_3 addition

    # The config_id works as well as the name, and a string content_config names a saved one too.
    by_id = copy.deepcopy(example)
    by_id["content_generation_params"]["content_config"] = saved["config_id"]
    _, result = await generate(client, workspace, by_id)
    warnings = result["1234567890001"]["warnings"]
    assert {"content_type": "title", "code": "SKIPPED_CONTENT_TYPE"}.items() <= warnings[-1].items()
    assert "title" not in result["1234567890001"]["content"]


def nth_name(i: int) -> str:
    return "cfg" + chr(97 + i // 26) + chr(97 + i % 26)


async def test_at_most_100_configurations(
    client: httpx.AsyncClient, services: AppServices, workspace: WorkspaceInfo
) -> None:
    async with services.unit_of_work() as uow:
        configs = ContentConfigService(uow.session)
        for i in range(100):
            await configs.create(workspace.principal, parse_config({"name": nth_name(i), "content_config": {}}))
    private = await client.get(CONFIGS, params={"scope": "PRIVATE"}, headers=workspace.headers())
    assert private.status_code == 200 and len(private.json()) == 100
    everything = await client.get(CONFIGS, headers=workspace.headers())
    assert len(everything.json()) == 100  # the public ones plus private ones, cut at 100
    assert sum(c["scope"] == "PUBLIC" for c in everything.json()) == len(PUBLIC_CONFIGS)

    before = await counts(services)
    refused = await client.post(CONFIGS, json={"name": "onemore", "content_config": {}}, headers=workspace.headers())
    assert refused.status_code == 409
    assert refused.json()["code"] == "config_limit_reached" and refused.json()["message"]
    assert await counts(services) == before
