"""``generate_content`` on fill and import-links: one ``store.ai_content`` job per product the import created,
queued in the import's own transaction and named in its result; offline (the composer) it costs nothing, with a
text model each job costs a content fill in credits, and a workspace short of credits keeps its products."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from domain.accounts.credits import CreditsService
from domain.catalog.models import Category, Product
from domain.jobs.models import Job
from resolvers.context import AppServices
from schema.relay import from_global_id
from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.merchants.conftest import merchant_registry
from tests.merchants.fake_merchant import FakeMerchant
from tests.merchants.helpers import connect, counts, finished, result
from tests.store.conftest import auth, ok
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.fake_openai import FakeOpenAI
from tests.support.graphql import gql
from tests.support.serving import asgi_client

EXACT_PLANS = {"free": 0, "pro": 0, "growth": 0}


async def _category(services: AppServices, ws: WorkspaceInfo, title: str) -> int:
    async with services.unit_of_work() as uow:
        row = Category(workspace_id=ws.workspace_id, slug=title.lower(), title=title)
        uow.session.add(row)
        await uow.session.flush()
        return row.id


async def _products(services: AppServices, ids: list[int]) -> dict[int, Product]:
    async with services.read() as session:
        rows = (await session.execute(select(Product).where(Product.id.in_(ids)))).scalars().all()
        return {p.id: p for p in rows}


async def _content_jobs(services: AppServices, ws: WorkspaceInfo) -> list[Job]:
    async with services.read() as session:
        query = select(Job).where(Job.workspace_id == ws.workspace_id, Job.kind == "store.ai_content")
        return list((await session.execute(query)).scalars())


async def _fill(client: Any, ws: WorkspaceInfo, category: int, **extra: Any) -> dict[str, Any]:
    body = {"api_name": "amazon", "locale": "us", "quantity": 2, "categories": [category], **extra}
    answer: dict[str, Any] = ok(await client.post("/api/categories/fill", json=body, headers=auth(ws.api_key)), 202)
    return answer["data"]  # type: ignore[no-any-return]


async def test_fill_queues_content_for_each_product_offline(
    client: Any, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant, feed_dir: Path
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    headphones = await _category(services, workspace, "Headphones")
    answer = await _fill(client, workspace, headphones)  # generate_content: true by default
    done = result(await finished(services, answer["job_id"]))
    product_ids = done["categories"][0]["product_ids"]
    assert len(product_ids) == 2 and done["warnings"] == []
    content = done["content"]
    assert [j["product_id"] for j in content["jobs"]] == product_ids
    assert content["credits"] == 0 and content["without_content"] == []
    for job in content["jobs"]:
        written = result(await finished(services, job["job_id"]))
        assert written["entity"] == "product" and "meta_title" in written["fields"]
    for product in (await _products(services, product_ids)).values():
        assert product.meta_title and product.generated


async def test_fill_without_generate_content_queues_nothing(
    client: Any, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant, feed_dir: Path
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    headphones = await _category(services, workspace, "Headphones")
    answer = await _fill(client, workspace, headphones, generate_content=False)
    done = result(await finished(services, answer["job_id"]))
    assert done["content"] is None and len(done["categories"][0]["product_ids"]) == 2
    assert await _content_jobs(services, workspace) == []


async def test_content_with_a_model_is_billed_and_a_short_balance_keeps_the_products(
    settings_factory: Callable[..., Settings],
    app_pool: AppPool,
    fake_openai: FakeOpenAI,
    merchant: FakeMerchant,
    feed_dir: Path,
) -> None:
    settings = settings_factory(**fake_openai.settings(), merchant_feed_dir=feed_dir, plans=EXACT_PLANS)
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    async with app_pool.use(settings, merchant_registry) as application, asgi_client(application) as client:
        services: AppServices = application.state.services
        ws = await make_workspace(services, plan="pro", credits=7)
        await connect(services, ws, "amazon", "feed", {"source": "amazon.csv"})
        headphones = await _category(services, ws, "Headphones")
        answer = await _fill(client, ws, headphones, ai_relevance_check=False)
        assert answer["credits_charged"] == 0  # the content jobs are billed as the import creates them
        done = result(await finished(services, answer["job_id"]))
        first, second = done["categories"][0]["product_ids"]
        # CONTENT_FILL_CHIPS (5,000) at 1,000 chips a credit: 5 credits a product; 7 pay for one.
        assert done["content"]["credits"] == 5
        assert [j["product_id"] for j in done["content"]["jobs"]] == [first]
        assert done["content"]["without_content"] == [second]
        assert done["warnings"] == [
            f"generate_content: not enough credits to write the content of product(s) {second}; they were imported."
        ]
        [job] = await _content_jobs(services, ws)
        assert job.credits_charged == 5
        written = result(await finished(services, job.id))
        assert written["model"] != "offline" and "meta_title" in written["fields"]
        products = await _products(services, [first, second])
        assert products[first].meta_title and products[first].generated
        assert products[second].meta_title is None and not products[second].generated
        async with services.read() as session:
            balance = await CreditsService(session, services.plans).balance(ws.workspace_id)
        assert balance.total == 2
        chats = [r for r in fake_openai.requests if r.path.endswith("/chat/completions")]
        assert chats and all("belong in this category" not in r.user for r in chats)  # no relevance check was asked for


async def test_import_links_with_generate_content_queues_content_for_the_imported_only(
    client: Any, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant, feed_dir: Path
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    links = ["B09V3KXJPB", "https://www.amazon.com/dp/B07XJ8C8F5", "B0NOTLISTD", "junk"]
    body = {"links": links, "generate_content": True}
    answer = ok(await client.post("/api/products/import-links", json=body, headers=auth(workspace.api_key)), 202)
    done = result(await finished(services, answer["data"]["job_id"]))
    imported = [link["product_id"] for link in done["links"] if link["status"] == "imported"]
    assert len(imported) == 2 and done["not_found"] == 1
    assert [j["product_id"] for j in done["content"]["jobs"]] == imported and done["warnings"] == []
    for job in done["content"]["jobs"]:
        assert "meta_title" in result(await finished(services, job["job_id"]))["fields"]
    assert all(p.meta_title for p in (await _products(services, imported)).values())


async def test_import_links_as_documented_writes_no_content(
    client: Any, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant, feed_dir: Path
) -> None:
    """The document's import-links has no generate_content: left out, it is off."""
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    answer = ok(
        await client.post(
            "/api/products/import-links", json={"links": ["B09V3KXJPB"]}, headers=auth(workspace.api_key)
        ),
        202,
    )
    done = result(await finished(services, answer["data"]["job_id"]))
    assert done["imported"] == 1 and done["content"] is None
    assert await _content_jobs(services, workspace) == []


async def test_bad_generate_content_is_a_422_and_writes_nothing(
    client: Any, services: AppServices, workspace: WorkspaceInfo
) -> None:
    before = await counts(services, workspace.workspace_id)
    body = {"links": ["B09V3KXJPB"], "generate_content": "maybe"}
    response = await client.post("/api/products/import-links", json=body, headers=auth(workspace.api_key))
    assert response.status_code == 422
    assert "generate_content" in response.json()["errors"]
    assert await counts(services, workspace.workspace_id) == before


IMPORT = """mutation($input: ImportMerchantLinksInput!) { importMerchantLinks(input: $input) {
  job { id } importing userErrors { field code message } } }"""


async def test_graphql_import_takes_generate_content(
    client: Any, services: AppServices, workspace: WorkspaceInfo, merchant: FakeMerchant, feed_dir: Path
) -> None:
    (feed_dir / "amazon.csv").write_text(merchant.csv(), encoding="utf-8")
    await connect(services, workspace, "amazon", "feed", {"source": "amazon.csv"})
    variables = {"input": {"links": ["B09V3KXJPB"], "generateContent": True}}
    _, body = await gql(client, IMPORT, variables, workspace.api_key)
    payload = body["data"]["importMerchantLinks"]
    assert payload["userErrors"] == [] and payload["importing"] == 1
    done = result(await finished(services, from_global_id(payload["job"]["id"])[1]))
    [job] = done["content"]["jobs"]
    assert result(await finished(services, job["job_id"]))["entity"] == "product"
