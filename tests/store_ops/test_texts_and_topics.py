"""Regenerating stock texts (only rows still holding their default, one AI call per row), the category list
and article topics, against the fake OpenAI-compatible server."""

from __future__ import annotations

import pytest

from domain.store.ai_billing import article_topics_chips, credits_for_chips, stock_text_chips
from domain.store.ai_ops.repository import AiOpsRepository
from domain.store.ai_ops.texts import BY_KEY, STOCK_TEXTS
from tests.store_ops.conftest import STARTING_CREDITS, balance, ok, tokens_used
from tests.support.fake_openai import Reply

pytestmark = pytest.mark.provider("openai")


async def _texts(services, ws) -> dict[str, str]:
    async with services.read() as session:
        return {k: v.value for k, v in (await AiOpsRepository(session).texts(ws.workspace_id)).items()}


async def test_only_default_rows_are_rewritten_one_call_each(client, services, workspace, h, fake_openai):
    ok(await client.patch("/api/settings/store", json={"niche": "vintage cameras"}, headers=h))
    async with services.unit_of_work() as uow:
        repo = AiOpsRepository(uow.session)
        await repo.set_text(workspace.workspace_id, "ABOUT_PAGE_INTRO", "Our own words.", "customer")
        await repo.set_text(workspace.workspace_id, "NEWSLETTER_TITLE", "Film fans, unite", "customer")
        # a row holding its default text is still a default row
        await repo.set_text(
            workspace.workspace_id, "FOOTER_ABOUT_TEXT", BY_KEY["FOOTER_ABOUT_TEXT"].default, "customer"
        )
    fake_openai.handler = lambda request: {"text": f"Rewritten for cameras #{len(fake_openai.requests)}"}

    r = await client.post("/api/store/regenerate-stock-texts", headers=h)
    result = ok(r)
    pending = len(STOCK_TEXTS) - 2
    assert result["rewritten"] == pending and result["skipped_customised"] == 2
    assert len(result["keys"]) == pending and "ABOUT_PAGE_INTRO" not in result["keys"]
    assert fake_openai.calls == pending  # one AI call per row
    assert all("vintage cameras" in q.user for q in fake_openai.requests)
    texts = await _texts(services, workspace)
    assert texts["ABOUT_PAGE_INTRO"] == "Our own words." and texts["NEWSLETTER_TITLE"] == "Film fans, unite"
    assert texts["FOOTER_ABOUT_TEXT"].startswith("Rewritten for cameras")
    charged = credits_for_chips(stock_text_chips(pending))
    assert r.headers["X-Credits-Charged"] == str(charged)
    assert await balance(services, workspace) == STARTING_CREDITS - charged
    assert await tokens_used(services, workspace) > 0

    again = ok(await client.post("/api/store/regenerate-stock-texts", headers=h))
    assert again == {"rewritten": 0, "skipped_customised": len(STOCK_TEXTS), "keys": []}
    assert fake_openai.calls == pending


async def test_a_failing_row_keeps_the_rows_already_written_and_refunds(client, services, workspace, h, fake_openai):
    fake_openai.script({"text": "First row, rewritten."}, Reply(status=500, content="down"))
    r = await client.post("/api/store/regenerate-stock-texts", headers=h)
    assert r.status_code == 503, r.text
    assert list((await _texts(services, workspace)).values()) == ["First row, rewritten."]
    assert await balance(services, workspace) == STARTING_CREDITS


async def test_category_list(client, services, workspace, h, fake_openai):
    fake_openai.script(
        {
            "categories": [
                {"title": "Film SLRs", "subcategories": ["35mm", "Medium Format", "Manual Focus", "35mm"]},
                {"title": "film slrs", "subcategories": ["A", "B", "C"]},  # a duplicate title: dropped
                {"title": "Rangefinders", "subcategories": ["Fixed Lens", "Interchangeable Lens"]},  # too few
                {"title": "Lenses", "subcategories": ["Prime", "Zoom", "Macro"]},
            ]
        }
    )
    r = await client.post(
        "/api/categories/generate-list", json={"niche": "vintage cameras", "max_categories": 3}, headers=h
    )
    assert ok(r) == {
        "niche": "vintage cameras",
        "categories": [
            {"title": "Film SLRs", "subcategories": ["35mm", "Medium Format", "Manual Focus"]},
            {"title": "Lenses", "subcategories": ["Prime", "Zoom", "Macro"]},
        ],
    }
    schema = fake_openai.requests[-1].schema
    assert schema is not None
    categories = schema["properties"]["categories"]
    assert categories["maxItems"] == 3 and categories["items"]["properties"]["subcategories"]["minItems"] == 3
    assert int(r.headers["X-Credits-Charged"]) >= 1


async def test_category_list_failure_is_a_503(client, services, workspace, h, fake_openai):
    fake_openai.script({"categories": []})
    r = await client.post("/api/categories/generate-list", json={"niche": "vintage cameras"}, headers=h)
    assert r.status_code == 503
    assert "no usable category" in r.json()["message"]
    assert await balance(services, workspace) == STARTING_CREDITS


async def test_article_topics_one_call_each_duplicates_dropped(client, services, workspace, h, fake_openai):
    fake_openai.script(
        {"topic": "Caring for Vintage Camera Leather"},
        {"topic": "caring for vintage camera leather"},
        {"topic": "How to Spot a Rangefinder Worth the Price"},
        {"topic": "   "},
    )
    r = await client.post("/api/articles/generate-topics", json={"count": 4}, headers=h)
    assert ok(r) == {
        "topics": ["Caring for Vintage Camera Leather", "How to Spot a Rangefinder Worth the Price"],
        "requested": 4,
        "returned": 2,
    }
    assert fake_openai.calls == 4
    assert "Caring for Vintage Camera Leather" in fake_openai.requests[1].user  # asked not to repeat it
    charged = credits_for_chips(article_topics_chips(4))
    assert r.headers["X-Credits-Charged"] == str(charged)
    assert await balance(services, workspace) == STARTING_CREDITS - charged


async def test_article_topics_default_count_is_three(client, workspace, h, fake_openai):
    result = ok(await client.post("/api/articles/generate-topics", headers=h))
    assert result["requested"] == 3 and fake_openai.calls == 3
