"""The merchant catalog port and what flows through it.

A ``MerchantCatalog`` searches a merchant by keyword (and the merchant's category, when it has them) and looks
items up by id (an ASIN, an eBay item id, a feed's id). The adapters live in ``workers/merchants/``: Amazon's
Product Advertising API 5, eBay's Browse API and a merchant product feed (CSV or JSON). Which one serves a
workspace's merchant is the workspace's ``MerchantConnection``; jobs reach the adapters through
``ctx.providers.merchants`` (``MerchantPorts``), built by the composition root.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from domain.errors import DomainError

# The document's ``api_name`` values (fill categories), with their display names (``GET /api/offers/merchants``).
API_NAMES: dict[str, str] = {
    "amazon": "Amazon",
    "aliexpress": "AliExpress",
    "ebay": "eBay",
    "etsy": "Etsy",
    "walmart": "Walmart",
}
# How a connection reaches its merchant: PA-API 5 (amazon only), eBay Browse (ebay only), or a feed (any).
ADAPTERS: dict[str, tuple[str, ...]] = {
    "amazon_paapi": ("amazon",),
    "ebay_browse": ("ebay",),
    "feed": tuple(API_NAMES),
}
# The settings (not secret) and credentials (stored encrypted) each adapter needs; (required, optional).
ADAPTER_SETTINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "amazon_paapi": (("partner_tag",), ()),
    "ebay_browse": ((), ("affiliate_campaign_id",)),
    "feed": (("source",), ("format",)),
}
ADAPTER_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "amazon_paapi": ("access_key", "secret_key"),
    "ebay_browse": ("client_id", "client_secret"),
    "feed": (),
}


@dataclass(frozen=True)
class MerchantItem:
    """One item as a merchant lists it. ``in_stock`` False: listed but not buyable now (out of stock or
    pre-order)."""

    merchant: str
    item_id: str
    title: str
    url: str
    price: float | None = None
    currency: str | None = None
    in_stock: bool = True
    images: tuple[str, ...] = ()
    brand: str | None = None
    locale: str | None = None
    price_full: float | None = None
    features: tuple[str, ...] = ()
    category: str | None = None


class MerchantUnavailable(DomainError, status=502, code="merchant_unavailable"):
    """The merchant could not answer (network, 5xx, throttling, refused credentials). ``transient``: worth
    trying again later."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


class MerchantCatalog(Protocol):
    async def search(self, keyword: str, *, category: str | None = None, locale: str, limit: int) -> list[MerchantItem]:
        """Items matching ``keyword`` (in the merchant's ``category`` when given), best first, at most ``limit``."""
        ...

    async def lookup(self, ids: Sequence[str], *, locale: str) -> dict[str, MerchantItem]:
        """The items the merchant still lists, by id; an id missing from the answer is no longer listed."""
        ...


@dataclass(frozen=True)
class Connection:
    """A workspace's connection to a merchant, credentials decrypted (only ever in memory)."""

    merchant: str
    adapter: str
    settings: Mapping[str, str] = field(default_factory=dict)
    credentials: Mapping[str, str] = field(default_factory=dict)


class CatalogOpener(Protocol):
    def open(self, connection: Connection) -> MerchantCatalog:
        """The adapter serving ``connection`` (cheap: adapters open their HTTP clients per call)."""
        ...


class CredentialCipher(Protocol):
    def encrypt(self, values: Mapping[str, str]) -> str: ...

    def decrypt(self, token: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class MerchantPorts:
    opener: CatalogOpener
    cipher: CredentialCipher
