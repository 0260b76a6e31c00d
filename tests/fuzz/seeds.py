"""A few rows of every kind the surfaces name by id, written through the public API, so that drawn cases
sometimes name a row that exists (a path id drawn at random almost never does)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import strategies as st
from schemathesis import Case

from resolvers.context import AppServices
from schema.relay import to_global_id
from tests.content.conftest import EXAMPLE
from tests.content.helpers import generate
from tests.fuzz.engine import Tweak
from tests.support.factories import WorkspaceInfo, create_job

SETTINGS_GROUPS = ["store", "offers", "product", "traffic", "article", "social"]
ID_LISTS = {"product_ids": "/api/products/", "category_ids": "/api/categories/"}  # body field: the ids it takes


@dataclass
class Seeds:
    """The seeded ids: REST ones by the path they follow (``/api/products/`` → product ids), GraphQL global ids."""

    rest: dict[str, list[str]] = field(default_factory=dict)
    graphql: list[str] = field(default_factory=list)

    def add(self, path: str, type_name: str | None, *ids: Any) -> None:
        self.rest.setdefault(path, []).extend(str(i) for i in ids)
        if type_name:
            self.graphql.extend(to_global_id(type_name, i) for i in ids)

    def ids_for(self, template: str) -> list[str]:
        """The seeded ids a path template's parameters name: those of the resource before the first one."""
        return self.rest.get(template.split("{", 1)[0], [])

    def values(self, field: str) -> st.SearchStrategy[Any]:
        """Values a create takes for one of the fields it must send."""
        if field == "email":
            return st.emails()
        if field == "url_detail":
            return st.just("https://example.test/item")
        if field in ID_LISTS:
            return st.lists(st.sampled_from([int(i) for i in self.rest[ID_LISTS[field]]]), max_size=3)
        return st.text(min_size=1, max_size=40).filter(str.strip)

    def tweak(self, document: dict[str, Any] | None = None) -> Tweak:
        """For a case whose input fits the schema: half the time, its path names seeded rows; half the time a
        create sends the fields a create must send (``x-required-on-create`` in the document: a PATCH takes
        the same body without them, so the schema cannot require them)."""
        musts = required_on_create(document) if document else {}

        def tweak(case: Case[Any], data: st.DataObject) -> Case[Any]:
            if case.meta is not None and not case.meta.generation.mode.is_positive:
                return case
            ids = self.ids_for(case.path)
            if case.path_parameters and ids and data.draw(st.booleans(), label="seeded path"):
                for name in case.path_parameters:
                    case.path_parameters[name] = data.draw(st.sampled_from(ids), label=name)
            fields = musts.get(case.path, []) if case.method == "POST" else []
            if fields and isinstance(case.body, dict) and data.draw(st.booleans(), label="complete create"):
                for name in fields:
                    if case.body.get(name) is None:
                        case.body[name] = data.draw(self.values(name), label=name)
            return case

        return tweak


def required_on_create(document: dict[str, Any]) -> dict[str, list[str]]:
    """The fields each POST of an OpenAPI document must send, by path template."""
    schemas = document.get("components", {}).get("schemas", {})
    musts: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        body = operations.get("post", {}).get("requestBody", {}).get("content", {}).get("application/json", {})
        ref = body.get("schema", {}).get("$ref", "")
        properties = schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
        fields = [name for name, prop in properties.items() if prop.get("x-required-on-create")]
        if fields:
            musts[path] = fields
    return musts


async def _created(client: httpx.AsyncClient, ws: WorkspaceInfo, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=ws.headers())
    assert response.status_code in (200, 201), (path, response.text)
    created: dict[str, Any] = response.json()
    data: dict[str, Any] = created.get("data", created)
    return data


async def seed(client: httpx.AsyncClient, services: AppServices, ws: WorkspaceInfo) -> Seeds:
    seeds = Seeds()
    brand = await _created(client, ws, "/api/brands", {"title": "Acme"})
    category = await _created(client, ws, "/api/categories", {"title": "Lamps"})
    products = [
        await _created(client, ws, "/api/products", {"title": title, "brand_id": brand["id"]})
        for title in ("Desk lamp", "Floor lamp")
    ]
    await client.post(
        f"/api/products/{products[0]['id']}/categories", json={"categories": [category["id"]]}, headers=ws.headers()
    )
    offer = await _created(
        client,
        ws,
        "/api/offers",
        {"merchant": "amazon", "merchant_offer_id": "B0GR52QJCF", "title": "Lamp", "url_detail": "https://a.test/1"},
    )
    article_category = await _created(client, ws, "/api/article-categories", {"title": "Guides"})
    article = await _created(client, ws, "/api/articles", {"title": "Choosing a lamp"})
    page = await _created(client, ws, "/api/pages", {"title": "About", "key": "about"})
    user = await _created(client, ws, "/api/users", {"email": "reader@example.com"})
    seeds.add("/api/brands/", "Brand", brand["id"])
    seeds.add("/api/categories/", "Category", category["id"])
    seeds.add("/api/products/", "Product", *(p["id"] for p in products))
    seeds.add("/api/offers/", "Offer", offer["id"])
    seeds.add("/api/article-categories/", "ArticleCategory", article_category["id"])
    seeds.add("/api/articles/", "Article", article["id"])
    seeds.add("/api/pages/", "Page", page["id"])
    seeds.add("/api/users/", "StoreUser", user["id"])
    seeds.add("/api/settings/", None, *SETTINGS_GROUPS)

    # Three, so that a configuration survives the first DELETE the run draws.
    configs = [
        await _created(
            client,
            ws,
            "/brandbrain/content-configs",
            {"name": name, "description": "Lamps.", "content_config": {"guidelines": ["Short sentences."]}},
        )
        for name in ("lamps", "desks", "chairs")
    ]
    seeds.add("/brandbrain/content-configs/", "ContentConfig", *(c["config_id"] for c in configs))
    content_job, _ = await generate(client, ws, json.loads(EXAMPLE.read_text()))
    other_job = await create_job(services, ws)
    seeds.add("/brandbrain/content-generation/jobs/", None, content_job)
    seeds.add("/v1/jobs/", "Job", content_job, other_job)
    return seeds
