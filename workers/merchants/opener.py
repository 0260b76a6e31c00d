"""Opens the adapter a workspace's merchant connection names, with the operator's settings (base URLs for a
proxy or the tests' fake merchant server, the feed directory, the address guard)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.merchants.ports import Connection, MerchantCatalog, MerchantUnavailable
from workers.merchants.amazon_paapi import AmazonPaapiCatalog
from workers.merchants.ebay_browse import EbayBrowseCatalog
from workers.merchants.feed import FeedCatalog


@dataclass(frozen=True)
class MerchantEndpoints:
    paapi_base_url: str | None = None
    ebay_base_url: str | None = None
    feed_dir: Path | None = None
    feed_allow_private: bool = False
    feed_max_bytes: int = 20 * 1024 * 1024
    timeout_seconds: float = 15.0


class CatalogOpener:
    def __init__(self, endpoints: MerchantEndpoints) -> None:
        self.endpoints = endpoints

    def open(self, connection: Connection) -> MerchantCatalog:
        e, s, c = self.endpoints, connection.settings, connection.credentials
        if connection.adapter == "amazon_paapi":
            return AmazonPaapiCatalog(
                access_key=c.get("access_key", ""),
                secret_key=c.get("secret_key", ""),
                partner_tag=s.get("partner_tag", ""),
                base_url=e.paapi_base_url,
                timeout_seconds=e.timeout_seconds,
            )
        if connection.adapter == "ebay_browse":
            return EbayBrowseCatalog(
                client_id=c.get("client_id", ""),
                client_secret=c.get("client_secret", ""),
                affiliate_campaign_id=s.get("affiliate_campaign_id") or None,
                base_url=e.ebay_base_url,
                timeout_seconds=e.timeout_seconds,
            )
        if connection.adapter == "feed":
            return FeedCatalog(
                merchant=connection.merchant,
                source=s.get("source", ""),
                fmt=s.get("format"),
                feed_dir=e.feed_dir,
                allow_private=e.feed_allow_private,
                max_bytes=e.feed_max_bytes,
                timeout_seconds=max(e.timeout_seconds, 30.0),
            )
        raise MerchantUnavailable(f"Unknown merchant adapter {connection.adapter!r}.", transient=False)
