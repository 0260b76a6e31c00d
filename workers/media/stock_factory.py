"""The stock-photo adapters, in the document's order, as the composition root configures them."""

from __future__ import annotations

from domain.media.stock import StockImages
from workers.media.stock_pexels import PexelsStock
from workers.media.stock_pixabay import PixabayStock
from workers.media.stock_unsplash import UnsplashStock


def build_stock_images(
    *,
    pexels_base_url: str,
    unsplash_base_url: str,
    pixabay_base_url: str,
    pexels_key: str | None = None,
    unsplash_key: str | None = None,
    pixabay_key: str | None = None,
    timeout_seconds: float = 15.0,
) -> StockImages:
    """Every provider is offered; one is asked only with a key (the store's, else the deployment's default)."""
    return StockImages(
        (
            PexelsStock(base_url=pexels_base_url, default_key=pexels_key, timeout_seconds=timeout_seconds),
            UnsplashStock(base_url=unsplash_base_url, default_key=unsplash_key, timeout_seconds=timeout_seconds),
            PixabayStock(base_url=pixabay_base_url, default_key=pixabay_key, timeout_seconds=timeout_seconds),
        )
    )
