"""The ``listing.copy`` job through the real runner, offline (the content pipeline's offline composer and its
guardrails): the platforms' rules (Amazon's 200-character title and five bullets, HTML descriptions for the
shop platforms, keyword limits), the components asked for, the seed keywords, and the warnings when a rule
cannot be met."""

from __future__ import annotations

import re
from typing import Any

from domain.catalog.models import Brand, Category, Product, ProductCategory
from domain.jobs.models import Job
from domain.listing.copy_job import html_description
from domain.listing.jobs import LISTING_COPY, CopyJobParams
from domain.listing.pricing import copy_cost
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo, create_job
from tests.support.jobs import events_of, wait_for

LONG_TITLE = "Leaf & Co Organic Green Tea " + "with hand-picked leaves from high-altitude gardens " * 4  # 232 chars


async def make_product(services: AppServices, ws: WorkspaceInfo, *, sparse: bool = False, title: str = "") -> int:
    """A tea with a brand, a category, a description, highlights and attributes; ``sparse``: a title alone."""
    async with services.unit_of_work() as uow:
        session = uow.session
        if sparse:
            product = Product(workspace_id=ws.workspace_id, slug="thing", title=title or "Thing")
            session.add(product)
            await session.flush()
            return product.id
        brand = Brand(workspace_id=ws.workspace_id, slug="leaf-co", title="Leaf & Co")
        category = Category(workspace_id=ws.workspace_id, slug="tea", title="Food & Beverage")
        session.add_all([brand, category])
        await session.flush()
        product = Product(
            workspace_id=ws.workspace_id,
            brand_id=brand.id,
            slug="organic-green-tea",
            title=title or "Organic Green Tea 100g",
            content=(
                "<p>Hand-picked green tea leaves from high-altitude gardens in Assam. Steep for three minutes at "
                "80 degrees for a smooth, grassy cup. Packed in a resealable pouch that keeps the leaves fresh.</p>"
            ),
            highlights=["Hand-picked whole leaves", {"text": "Rich in antioxidants"}],
            attributes={"Weight": "100 g", "Origin": "Assam", "Caffeine": "Medium", "Certification": "USDA Organic"},
            keywords=["green tea", "loose leaf tea"],
        )
        session.add(product)
        await session.flush()
        session.add(ProductCategory(product_id=product.id, category_id=category.id, workspace_id=ws.workspace_id))
        return product.id


def params(product_id: int, platform: str = "amazon", **extra: Any) -> CopyJobParams:
    values: dict[str, Any] = {
        "product_id": product_id,
        "platform": platform,
        "components": ["title", "bullets", "description", "keywords"],
        "seed_keywords": [],
        "credit_cost": copy_cost(platform),
    }
    values.update(extra)
    return CopyJobParams(**values)


async def run_job(services: AppServices, ws: WorkspaceInfo, job_params: CopyJobParams) -> Job:
    job_id = await create_job(services, ws, LISTING_COPY, job_params)
    job = await wait_for(services, job_id, ("completed", "failed"), timeout=60)
    assert job.status == "completed", job.error_message
    return job


def codes(result: dict[str, Any]) -> list[str]:
    return [w.split(" ", 1)[0] for w in result["warnings"]]


async def test_amazon_offline(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    seeds = ["matcha gift", "organic tea"]
    job = await run_job(services, pro, params(product_id, seed_keywords=seeds, tone="luxury"))
    result = job.result or {}
    assert set(result) == {"platform", "title", "bullets", "description", "keywords", "warnings"}
    assert result["platform"] == "amazon"
    assert result["title"].startswith("Leaf & Co Organic Green Tea 100g") and len(result["title"]) <= 200
    assert len(result["bullets"]) == 5 and all(len(b) <= 250 for b in result["bullets"])
    assert "<p>" not in result["description"] and "Hand-picked green tea leaves" in result["description"]
    for seed in seeds:  # the seed keywords must be in the description, and lead the search keywords
        assert seed in result["description"].lower()
    assert result["keywords"][:2] == seeds
    assert len(" ".join(result["keywords"]).encode()) <= 249
    assert "green tea" in [k.lower() for k in result["keywords"]]
    assert "BULLET_COUNT" not in codes(result) and "MISSING_KEYWORD" not in codes(result)
    messages = [e.message or "" for e in await events_of(services, job.id)]
    assert any("offline" in m for m in messages) and any(m.startswith("Applying amazon") for m in messages)


async def test_the_amazon_title_is_cut_to_200_characters(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro, title=LONG_TITLE)
    result = (await run_job(services, pro, params(product_id, components=["title"]))).result or {}
    assert set(result) == {"platform", "title", "warnings"}
    assert 0 < len(result["title"]) <= 200
    assert result["title"].startswith("Leaf & Co Organic Green Tea")


async def test_shopify_descriptions_are_html(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    job = await run_job(services, pro, params(product_id, "shopify", components=["description", "bullets"]))
    result = job.result or {}
    assert set(result) == {"platform", "bullets", "description", "warnings"}
    html = result["description"]
    assert html.startswith("<p>") and "</p>" in html
    items = re.findall(r"<li>(.*?)</li>", html)
    assert html.count("<ul>") == 1 and [i.replace("&amp;", "&") for i in items] == result["bullets"]


async def test_html_without_bullets_lists_the_highlights(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    result = (await run_job(services, pro, params(product_id, "woocommerce", components=["description"]))).result
    assert result is not None
    assert "<li>Hand-picked whole leaves</li>" in result["description"]
    assert "<li>Rich in antioxidants</li>" in result["description"]


async def test_general_and_flipkart_copy_is_plain(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    for platform in ("general", "flipkart"):
        result = (await run_job(services, pro, params(product_id, platform))).result or {}
        assert result["platform"] == platform and "<" not in result["description"]
        assert len(result["title"]) <= 150 and len(result["bullets"]) == 5


async def test_a_sparse_product_gets_fewer_bullets_and_a_warning(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro, sparse=True)
    result = (await run_job(services, pro, params(product_id, components=["bullets"]))).result or {}
    assert len(result["bullets"]) < 5
    [warning] = [w for w in result["warnings"] if w.startswith("BULLET_COUNT")]
    assert "amazon wants 5 bullet points" in warning


async def test_seed_keywords_that_cannot_all_fit_are_warnings(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    seeds = [f"tea keyword {n}" for n in range(1, 9)]
    result = (await run_job(services, pro, params(product_id, seed_keywords=seeds))).result or {}
    missing = [w for w in result["warnings"] if w.startswith("MISSING_KEYWORD")]
    assert missing, result["warnings"]  # the offline composer names a handful; the guardrails report the rest
    assert result["keywords"][: len(seeds)] == seeds


async def test_etsy_tags_are_at_most_20_characters(services: AppServices, pro: WorkspaceInfo) -> None:
    product_id = await make_product(services, pro)
    seeds = ["green tea gift", "a very long seed keyword for etsy"]
    job = await run_job(services, pro, params(product_id, "etsy", components=["keywords"], seed_keywords=seeds))
    result = job.result or {}
    assert set(result) == {"platform", "keywords", "warnings"}
    assert result["keywords"][0] == "green tea gift"
    assert all(len(k) <= 20 for k in result["keywords"]) and len(result["keywords"]) <= 13
    [warning] = [w for w in result["warnings"] if w.startswith("KEYWORD_LIMIT")]
    assert "a very long seed keyword for etsy" in warning and "20 characters" in warning


async def test_a_product_deleted_before_the_job_ran_fails_it(services: AppServices, pro: WorkspaceInfo) -> None:
    job_id = await create_job(services, pro, LISTING_COPY, params(999_999))
    job = await wait_for(services, job_id, ("completed", "failed"), timeout=30)
    assert job.status == "failed" and job.error_code == "not_found"


def test_html_descriptions_escape_the_text() -> None:
    html = html_description("Tea & honey <b>bold</b>. Second sentence.\n\nA new paragraph.", ["5 < 6 & more"])
    assert html == (
        "<p>Tea &amp; honey &lt;b&gt;bold&lt;/b&gt;. Second sentence.</p><p>A new paragraph.</p>"
        "<ul><li>5 &lt; 6 &amp; more</li></ul>"
    )
