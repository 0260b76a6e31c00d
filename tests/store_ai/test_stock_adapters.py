"""The three stock adapters against the fake providers: each API's request shape, the photo they pick, and
every failure as ``StockUnavailable`` naming the provider (never the key)."""

from __future__ import annotations

import pytest

from domain.media.stock import ORDER, StockImages, StockUnavailable
from tests.store_ai.fake_stock import KEYS, FakeStock
from workers.media.stock_factory import build_stock_images
from workers.media.stock_pexels import PexelsStock
from workers.media.stock_pixabay import PixabayStock
from workers.media.stock_unsplash import UnsplashStock


def adapters(stock: FakeStock) -> StockImages:
    return build_stock_images(
        pexels_base_url=f"{stock.url}/pexels",
        unsplash_base_url=f"{stock.url}/unsplash",
        pixabay_base_url=f"{stock.url}/pixabay",
        timeout_seconds=5,
    )


async def test_order_and_keys(stock):
    images = adapters(stock)
    assert [p.name for p in images.ordered()] == list(ORDER)
    assert not any(p.configured(None) for p in images.providers)
    assert PexelsStock(default_key="deployment").configured(None)


async def test_pexels_request_and_photo(stock):
    photo = await PexelsStock(base_url=f"{stock.url}/pexels").search(
        "film camera", api_key=KEYS["pexels"], orientation="square"
    )
    assert photo is not None and photo.provider == "pexels" and photo.photographer == "Joey Farina"
    assert photo.download_url.endswith("/files/pexels.jpg")
    [request] = stock.requests
    assert request.path == "/pexels/v1/search"
    assert request.query == {"query": "film camera", "per_page": "5", "orientation": "square"}
    assert photo.attribution()["source_url"] == "https://www.pexels.com/photo/2014422/"


async def test_unsplash_request_photo_and_download_report(stock):
    unsplash = UnsplashStock(base_url=f"{stock.url}/unsplash")
    photo = await unsplash.search("film camera", api_key=KEYS["unsplash"], orientation="square")
    assert photo is not None and photo.photographer_url == "https://unsplash.com/@ugmonk"
    await unsplash.used(photo, api_key=KEYS["unsplash"])
    search, download = stock.requests
    assert search.query["orientation"] == "squarish" and search.headers["accept-version"] == "v1"
    assert search.headers["authorization"] == "Client-ID unsplash-key"
    assert download.path == "/unsplash/photos/eOLpJytrbsQ/download"


async def test_pixabay_request_and_photo(stock):
    photo = await PixabayStock(base_url=f"{stock.url}/pixabay").search(
        "x" * 150, api_key=KEYS["pixabay"], orientation="landscape"
    )
    assert photo is not None and photo.photographer_url == "https://pixabay.com/users/Josch13-48777/"
    [request] = stock.requests
    assert request.query["q"] == "x" * 100 and request.query["orientation"] == "horizontal"
    assert request.query["image_type"] == "photo" and request.query["safesearch"] == "true"


async def test_a_miss_is_none(stock):
    stock.behaviour["pexels"] = "miss"
    assert (
        await PexelsStock(base_url=f"{stock.url}/pexels").search("x", api_key=KEYS["pexels"], orientation="square")
        is None
    )


@pytest.mark.parametrize("status", [401, 429, 500])
async def test_failures_name_the_provider_not_the_key(stock, status):
    stock.behaviour["pixabay"] = status
    with pytest.raises(StockUnavailable) as caught:
        await PixabayStock(base_url=f"{stock.url}/pixabay").search("x", api_key=KEYS["pixabay"], orientation="square")
    assert caught.value.message.startswith("pixabay:") and str(status) in caught.value.message
    assert KEYS["pixabay"] not in caught.value.message


async def test_an_unreachable_provider_is_unavailable():
    with pytest.raises(StockUnavailable, match="pexels: the search failed"):
        await PexelsStock(base_url="http://127.0.0.1:9", timeout_seconds=2).search(
            "x", api_key="k", orientation="square"
        )
