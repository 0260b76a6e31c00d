"""What the merchant adapters share: turning HTTP failures into ``MerchantUnavailable``."""

from __future__ import annotations

import httpx

from domain.merchants.ports import MerchantUnavailable

TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})


def unavailable(merchant: str, response: httpx.Response, detail: str = "") -> MerchantUnavailable:
    """The error for a refused or failed call: throttling and 5xx are worth retrying, the rest (bad
    credentials, a refused request) are not."""
    text = detail or response.text[:300]
    return MerchantUnavailable(
        f"{merchant} answered {response.status_code}: {text}", transient=response.status_code in TRANSIENT
    )


def network(merchant: str, exc: httpx.HTTPError) -> MerchantUnavailable:
    return MerchantUnavailable(f"{merchant} could not be reached: {type(exc).__name__}: {exc}", transient=True)
