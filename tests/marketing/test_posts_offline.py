"""The posts job offline: distinct posts from the catalog product, the completion payload's fields, the stored
posts and storefront entries, and how the text inputs change the words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.marketing.models import MarketingPost, StorefrontPost
from tests.marketing.helpers import image_of, make_product, run_posts, submit
from tests.support.jobs import events_of, wait_for


async def test_three_distinct_posts_with_the_documented_completion_payload(client, services, workspace):
    product_id = await make_product(services, workspace)
    result = await run_posts(client, services, workspace, product_id)

    posts = result["posts"]
    assert len(posts) == 3
    assert [p["angle"] for p in posts] == ["benefit", "social_proof", "urgency"]
    assert len({p["caption"] for p in posts}) == 3 and len({p["cta"] for p in posts}) == 3
    assert len({tuple(p["hashtags"]) for p in posts}) == 3
    for post in posts:
        assert "Rose Glow Face Serum" in post["caption"] and "$24.99" in post["caption"]
        assert all(tag.startswith("#") and " " not in tag for tag in post["hashtags"])
        assert "#Lumi" in post["hashtags"]
        assert post["overlays"] == {
            "headline": post["overlays"]["headline"],
            "priceBadge": "$24.99",
            "cta": post["cta"],
        }
        assert post["imageMediaId"] is None
    assert "4.7" in posts[1]["caption"] and "182" in posts[1]["caption"]  # social proof uses the reviews
    assert result["overlays"] == [p["overlays"] for p in posts]
    assert result["storefrontPostIds"] == [p["storefrontPostId"] for p in posts]
    assert result["productId"] == str(product_id) and result["writer"] == "offline"

    async with services.read() as session:
        ids = [p["id"] for p in posts]
        query = select(MarketingPost).where(MarketingPost.id.in_(ids)).order_by(MarketingPost.position)
        stored = (await session.execute(query)).scalars().all()
        entries = (await session.execute(select(StorefrontPost))).scalars().all()
    assert [p.id for p in stored] == [p["id"] for p in posts]
    assert {e.id for e in entries} == set(result["storefrontPostIds"])
    assert {(e.post_id, e.product_id) for e in entries} == {(p["id"], product_id) for p in posts}


async def test_posts_count_and_the_same_request_writes_the_same_words(client, services, workspace):
    product_id = await make_product(services, workspace)
    one = await run_posts(client, services, workspace, product_id, postsCount=1)
    again = await run_posts(client, services, workspace, product_id, postsCount=1)
    assert len(one["posts"]) == 1 and one["posts"][0]["caption"] == again["posts"][0]["caption"]
    two = await run_posts(client, services, workspace, product_id, postsCount=2)
    assert len(two["posts"]) == 2


async def test_tone_ad_type_focus_points_and_audience_change_the_words(client, services, workspace):
    product_id = await make_product(services, workspace)
    plain = (await run_posts(client, services, workspace, product_id))["posts"]
    shaped = (
        await run_posts(
            client,
            services,
            workspace,
            product_id,
            tone="playful",
            adType="sale",
            focusPoints="Glass dropper bottle, Fragrance free",
            targetAudience="busy mums",
        )
    )["posts"]
    assert [p["caption"] for p in plain] != [p["caption"] for p in shaped]
    assert shaped[0]["caption"].startswith("Say hello to")  # tone
    assert [p["cta"] for p in shaped] == ["Grab the deal", "Save now", "Shop the sale"]  # ad type
    assert "#Sale" in shaped[0]["hashtags"]
    assert "Glass dropper bottle" in shaped[0]["caption"]  # focus points come first
    assert "busy mums" in shaped[0]["caption"]  # audience
    assert shaped[2]["overlays"]["headline"].startswith("Sale offer")


async def test_progress_has_a_message_per_step(client, services, workspace):
    product_id = await make_product(services, workspace)
    response = await submit(client, workspace, product_id, generateImages=True, postsCount=2, useProductImages=True)
    job_id = response.json()["jobId"]
    await wait_for(services, job_id, ["completed"], timeout=60)
    steps = [(e.data or {}).get("step") for e in await events_of(services, job_id) if e.type == "progress"]
    assert steps == ["loading", "vision", "text", "image", "image", "storing", "completed"]


async def test_a_product_without_offers_has_no_price_badge(client, services, workspace):
    product_id = await make_product(services, workspace, price=None)
    result = await run_posts(client, services, workspace, product_id, generateImages=True, postsCount=1)
    assert result["posts"][0]["overlays"]["priceBadge"] is None
    image = await image_of(services, workspace, result["posts"][0]["imageMediaId"])
    assert image.size == (1080, 1080)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"tone": "professional"}, "Introducing"),
        ({"adType": "giveaway"}, "Enter now"),
        ({"focusPoints": "Travel-size glass bottle"}, "Travel-size glass bottle"),
        ({"targetAudience": "night-shift nurses"}, "night-shift nurses"),
    ],
)
async def test_each_text_parameter_alone_changes_the_words(client, services, workspace, query, expected):
    product_id = await make_product(services, workspace)
    plain = (await run_posts(client, services, workspace, product_id, postsCount=1))["posts"][0]
    shaped = (await run_posts(client, services, workspace, product_id, postsCount=1, **query))["posts"][0]
    assert shaped["caption"] != plain["caption"]
    assert expected in shaped["caption"] and expected not in plain["caption"]
