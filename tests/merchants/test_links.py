"""Reading Amazon links: product URLs of every marketplace and their path forms, bare ASINs, and what is neither."""

from __future__ import annotations

import pytest

from domain.merchants.links import AMAZON_HOSTS, ParsedLink, parse_link


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://www.amazon.com/dp/B09V3KXJPB", ParsedLink("B09V3KXJPB", "us")),
        ("https://www.amazon.com/Acme-Wireless/dp/B09V3KXJPB/ref=sr_1_1?keywords=x", ParsedLink("B09V3KXJPB", "us")),
        ("https://www.amazon.co.uk/gp/product/B0C1234567", ParsedLink("B0C1234567", "gb")),
        ("https://www.amazon.de/-/en/Wasserkocher/dp/b0d7654321?th=1", ParsedLink("B0D7654321", "de")),
        ("https://amazon.co.jp/gp/aw/d/B0JP000001", ParsedLink("B0JP000001", "jp")),
        ("http://smile.amazon.com/exec/obidos/ASIN/0131103628", ParsedLink("0131103628", "us")),
        ("www.amazon.com.au/dp/B0H0000002", ParsedLink("B0H0000002", "au")),
        ("https://www.amazon.fr/gp/offer-listing/B0H0000003/", ParsedLink("B0H0000003", "fr")),
        ("https://www.amazon.ca/something?asin=B0H0000005&x=1", ParsedLink("B0H0000005", "ca")),
        ("B07XJ8C8F5", ParsedLink("B07XJ8C8F5", "us")),
        ("  b07xj8c8f5 ", ParsedLink("B07XJ8C8F5", "us")),
    ],
)
def test_reads_amazon_links_and_asins(link: str, expected: ParsedLink) -> None:
    assert parse_link(link) == expected


@pytest.mark.parametrize(
    "link",
    [
        "",
        "hello world",
        "B07XJ8C8F",  # nine characters
        "B07XJ8C8F55",  # eleven
        "A07XJ8C8F5",  # not B-prefixed and not an ISBN
        "https://www.ebay.com/itm/B09V3KXJPB",
        "https://www.amazon.com/",
        "https://www.amazon.com/b?node=123",
        "https://amzn.to/3xYzAbC",
        "https://www.amazon.evil.com/dp/B09V3KXJPB",
        "https://amazon.com.evil.net/dp/B09V3KXJPB",
        "ftp://www.amazon.com/dp/B09V3KXJPB",
        "javascript:alert(1)",
        "https://[::1/dp/B09V3KXJPB",
    ],
)
def test_refuses_what_is_neither(link: str) -> None:
    assert parse_link(link) is None


def test_bare_asin_takes_the_default_locale_and_every_marketplace_is_known() -> None:
    assert parse_link("B09V3KXJPB", default_locale="de") == ParsedLink("B09V3KXJPB", "de")
    for locale, host in AMAZON_HOSTS.items():
        assert parse_link(f"https://www.{host}/dp/B09V3KXJPB") == ParsedLink("B09V3KXJPB", locale)
