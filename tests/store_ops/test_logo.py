"""Picking the logo icon and generating the wordmark logo."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any, cast

import pytest
from PIL import Image
from sqlalchemy import select

from domain.store.ai_ops.models import StoreLogo
from tests.store_ops.conftest import STARTING_CREDITS, balance, ok, tokens_used
from tests.support.fake_openai import Reply


async def _template(client, h) -> dict[str, Any]:
    found: dict[str, Any] = ok(await client.get("/api/settings/template", headers=h))
    return found


# --- pick-logo-icon -----------------------------------------------------------------------------------


async def test_offline_pick_matches_the_niche_words_and_saves(client, services, workspace, h):
    r = await client.post("/api/store/pick-logo-icon", json={"niche": "vintage cameras"}, headers=h)
    assert ok(r) == {"status": "picked", "picked": "photo-camera", "label": "Camera"}
    assert r.headers["X-Credits-Charged"] == "0"
    assert (await _template(client, h))["logo_icon"] == "photo-camera"
    # the icon is no longer the default: a second call leaves it
    assert ok(await client.post("/api/store/pick-logo-icon", json={"niche": "tea"}, headers=h)) == {"status": "skipped"}


async def test_an_icon_the_admin_chose_is_left_alone(client, workspace, h):
    ok(await client.patch("/api/settings/template", json={"logo_icon": "pets"}, headers=h))
    assert ok(await client.post("/api/store/pick-logo-icon", json={"niche": "coffee"}, headers=h)) == {
        "status": "skipped"
    }
    assert (await _template(client, h))["logo_icon"] == "pets"


@pytest.mark.provider("openai")
async def test_the_model_picks_from_the_catalogue(client, services, workspace, h, fake_openai):
    fake_openai.script({"icon": "emoji-nature"})
    r = await client.post("/api/store/pick-logo-icon", json={"niche": "beekeeping supplies"}, headers=h)
    assert ok(r) == {"status": "picked", "picked": "emoji-nature", "label": "Bee"}
    request = fake_openai.requests[-1]
    assert "beekeeping supplies" in request.user and "emoji-nature: Bee" in request.user
    charged = int(r.headers["X-Credits-Charged"])
    assert charged >= 1 and await balance(services, workspace) == STARTING_CREDITS - charged
    assert await tokens_used(services, workspace) > 0
    assert (await _template(client, h))["logo_icon"] == "emoji-nature"


@pytest.mark.provider("openai")
async def test_an_answer_outside_the_catalogue_is_invalid_response_and_saves_nothing(
    client, services, workspace, h, fake_openai
):
    fake_openai.script({"icon": "unicorn-sparkle-deluxe"})
    r = await client.post("/api/store/pick-logo-icon", json={"niche": "fantasy toys"}, headers=h)
    assert ok(r) == {"status": "invalid_response"}
    assert (await _template(client, h))["logo_icon"] == "shopping-bag"
    assert await balance(services, workspace) == STARTING_CREDITS  # refunded: nothing was saved
    assert await tokens_used(services, workspace) > 0  # but the call's tokens are on record


# --- generate-logo ------------------------------------------------------------------------------------


def _pixels(image: Image.Image) -> list[tuple[int, ...]]:
    return cast(list[tuple[int, ...]], list(image.get_flattened_data()))


async def _png(client, url: str) -> Image.Image:
    r = await client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(r.content))


async def test_generate_logo_writes_a_png_wordmark_into_the_logo_slot(client, services, workspace, h):
    ok(await client.patch("/api/settings/store", json={"name": "Green Thumb"}, headers=h))
    r = await client.post("/api/store/generate-logo", json={"niche": "indoor herb gardening"}, headers=h)
    result = ok(r)
    assert result["status"] == "generated"
    slot = (await _template(client, h))["logo_url"]
    assert slot == result["url"] and slot.startswith("/media/")
    image = await _png(client, slot)
    image.load()
    assert image.format == "PNG" and image.mode == "RGBA" and image.height == 240 and image.width > 300
    # ink: the name was drawn, in the niche's green
    opaque = [px for px in _pixels(image) if px[3] == 255]
    assert len(opaque) > 5000
    assert Counter(opaque).most_common(1)[0][0][:3] == (0x1F, 0x51, 0x30)
    async with services.read() as session:
        logo = await session.get(StoreLogo, workspace.workspace_id)
    assert logo is not None and logo.niche == "indoor herb gardening" and logo.style["text_color"] == "#1f5130"
    assert r.headers["X-Credits-Charged"] == "0"

    again = ok(await client.post("/api/store/generate-logo", json={"niche": "herbs"}, headers=h))
    assert again == {"status": "skipped", "reason": "logo_already_set"}


async def test_a_logo_already_set_is_left_alone(client, services, workspace, h):
    ok(await client.patch("/api/settings/template", json={"logo_url": "https://cdn.example.com/logo.png"}, headers=h))
    result = ok(await client.post("/api/store/generate-logo", json={"niche": "tea"}, headers=h))
    assert result == {"status": "skipped", "reason": "logo_already_set"}
    assert (await _template(client, h))["logo_url"] == "https://cdn.example.com/logo.png"
    async with services.read() as session:
        assert (await session.execute(select(StoreLogo))).first() is None


@pytest.mark.provider("openai")
async def test_the_model_styles_the_wordmark(client, services, workspace, h, fake_openai):
    fake_openai.script(
        {"text_color": "#112233", "accent_color": "#ff0000", "case": "upper", "bold": True, "underline": False}
    )
    r = await client.post("/api/store/generate-logo", json={"niche": "vintage cameras"}, headers=h)
    assert ok(r)["status"] == "generated"
    assert "Leaf & Root" in fake_openai.requests[-1].user  # the store name defaults to the workspace's
    image = await _png(client, (await _template(client, h))["logo_url"])
    colours = {px[:3] for px in _pixels(image.convert("RGBA")) if px[3] == 255}
    assert (0x11, 0x22, 0x33) in colours and (0xFF, 0, 0) not in colours  # no accent bar
    charged = int(r.headers["X-Credits-Charged"])
    assert charged >= 1 and await balance(services, workspace) == STARTING_CREDITS - charged


@pytest.mark.provider("openai")
async def test_a_failed_style_call_answers_failed_and_refunds(client, services, workspace, h, fake_openai):
    fake_openai.script(Reply(status=500, content="down"))
    r = await client.post("/api/store/generate-logo", json={"niche": "tea"}, headers=h)
    result = ok(r)
    assert result["status"] == "failed" and result["error"]
    assert (await _template(client, h))["logo_url"] is None
    assert await balance(services, workspace) == STARTING_CREDITS
