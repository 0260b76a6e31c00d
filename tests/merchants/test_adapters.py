"""The merchant adapters against the fake merchant's wire shapes: PA-API 5 (signed requests checked by the
server), eBay Browse (client-credentials token, search, item by id and by legacy id), and feeds (CSV file, JSON
URL) with their guards."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.merchants.ports import MerchantUnavailable
from tests.merchants.fake_merchant import ACCESS_KEY, EBAY_ID, EBAY_SECRET, PARTNER_TAG, SECRET_KEY, FakeMerchant
from workers.merchants.amazon_paapi import AmazonPaapiCatalog
from workers.merchants.ebay_browse import EbayBrowseCatalog
from workers.merchants.feed import FeedCatalog


def paapi(merchant: FakeMerchant, secret: str = SECRET_KEY) -> AmazonPaapiCatalog:
    return AmazonPaapiCatalog(access_key=ACCESS_KEY, secret_key=secret, partner_tag=PARTNER_TAG, base_url=merchant.url)


async def test_paapi_search_reads_price_stock_images_and_pages(merchant: FakeMerchant) -> None:
    extra = dict(merchant.items[0])
    merchant.items += [{**extra, "id": f"B0EXTRA00{n}", "title": f"Extra Headphones {n}"} for n in range(5)]
    items = await paapi(merchant).search("headphones", locale="us", limit=12)
    # 13 US headphones exist; ItemCount is at most 10, so a second page (of 2) was read.
    assert [i.item_id for i in items][:2] == ["B09V3KXJPB", "B07XJ8C8F5"]
    assert len(items) == 12
    assert [d for p, d in merchant.requests if p == "SearchItems"] == ["headphones", "headphones"]
    first = items[0]
    assert (first.title, first.price, first.currency, first.brand) == ("Acme Wireless Headphones", 59.99, "USD", "Acme")
    assert first.in_stock and first.images == ("https://m.media-amazon.com/images/I/B09V3KXJPB.jpg",)
    assert first.price_full == 71.99 and first.url.startswith("https://www.amazon.com/dp/B09V3KXJPB")
    assert {i.item_id for i in items if not i.in_stock} == {"B0H0000001", "B0H0000004"}


async def test_paapi_lookup_batches_by_ten_and_leaves_out_unlisted(merchant: FakeMerchant) -> None:
    ids = ["B09V3KXJPB", "B0NOTLISTD"] + [f"B0X000000{n}" for n in range(9)] + ["B07XJ8C8F5"]
    found = await paapi(merchant).lookup(ids, locale="us")
    assert set(found) == {"B09V3KXJPB", "B07XJ8C8F5"}
    assert len([p for p, _ in merchant.requests if p == "GetItems"]) == 2
    # The marketplace and its region follow the locale: the UK item is found only in gb.
    assert set(await paapi(merchant).lookup(["B0C1234567"], locale="gb")) == {"B0C1234567"}
    assert await paapi(merchant).lookup(["B0C1234567"], locale="us") == {}


async def test_paapi_wrong_secret_is_refused_by_the_signature_check(merchant: FakeMerchant) -> None:
    with pytest.raises(MerchantUnavailable) as caught:
        await paapi(merchant, secret="not-the-secret").search("kettle", locale="us", limit=3)
    assert not caught.value.transient and "InvalidSignature" in caught.value.message
    assert ("paapi-error", "InvalidSignature") in merchant.requests


async def test_ebay_token_search_and_lookup(merchant: FakeMerchant) -> None:
    ebay = EbayBrowseCatalog(client_id=EBAY_ID, client_secret=EBAY_SECRET, base_url=merchant.url)
    items = await ebay.search("kettle", locale="us", limit=5)
    assert [(i.item_id, i.in_stock, i.price) for i in items] == [
        ("v1|B0K0000001|0", True, 34.0),
        ("v1|B0K0000002|0", False, 54.0),
    ]
    assert items[0].url.endswith("?campid=5338") and items[0].category == "Kettles"
    found = await ebay.lookup(["v1|B09V3KXJPB|0", "B08N5WRWNW", "v1|GONE000000|0"], locale="us")
    assert set(found) == {"V1|B09V3KXJPB|0", "B08N5WRWNW"}
    # One token for every call of this adapter (cached until it expires).
    assert [p for p, _ in merchant.requests].count("ebay-token") == 1


async def test_ebay_bad_credentials_are_not_retried(merchant: FakeMerchant) -> None:
    ebay = EbayBrowseCatalog(client_id=EBAY_ID, client_secret="wrong", base_url=merchant.url)
    with pytest.raises(MerchantUnavailable) as caught:
        await ebay.search("kettle", locale="us", limit=5)
    assert not caught.value.transient and "401" in caught.value.message


async def test_feed_csv_file_and_json_url(merchant: FakeMerchant, tmp_path: Path) -> None:
    (tmp_path / "feed.csv").write_text(merchant.csv(), encoding="utf-8")
    csv_feed = FeedCatalog(merchant="amazon", source="feed.csv", feed_dir=tmp_path)
    found = await csv_feed.search("wireless headphones", locale="us", limit=3)
    assert found[0].item_id == "B09V3KXJPB"  # both words match: first
    assert len(found) == 3 and all(i.locale == "us" for i in found)
    de = await csv_feed.lookup(["b0d7654321"], locale="de")
    assert de["B0D7654321"].in_stock is False and de["B0D7654321"].price == 29.95
    json_feed = FeedCatalog(merchant="amazon", source=f"{merchant.url}/feed.json", allow_private=True)
    item = (await json_feed.lookup(["B0C1234567"], locale="gb"))["B0C1234567"]
    assert (item.currency, item.brand, item.features[1]) == ("GBP", "Brewmaster", "Two-year warranty")


async def test_feed_guards(merchant: FakeMerchant, tmp_path: Path) -> None:
    outside = FeedCatalog(merchant="amazon", source="../secrets.csv", feed_dir=tmp_path)
    with pytest.raises(MerchantUnavailable, match="inside the merchant feed directory"):
        await outside.search("x", locale="us", limit=1)
    with pytest.raises(MerchantUnavailable, match="SHOPWRIGHT_MERCHANT_FEED_DIR"):
        await FeedCatalog(merchant="amazon", source="feed.csv").search("x", locale="us", limit=1)
    private = FeedCatalog(merchant="amazon", source=f"{merchant.url}/feed.json", allow_private=False)
    with pytest.raises(MerchantUnavailable, match="SHOPWRIGHT_MERCHANT_FEED_ALLOW_PRIVATE") as caught:
        await private.search("x", locale="us", limit=1)
    assert not caught.value.transient
    small = FeedCatalog(merchant="amazon", source=f"{merchant.url}/feed.json", allow_private=True, max_bytes=100)
    with pytest.raises(MerchantUnavailable, match="larger than 100 bytes"):
        await small.search("x", locale="us", limit=1)
