"""The composition root builds the media ports from settings and hands the same ones to request handlers
(``AppServices.media``) and to jobs (``ctx.providers.media``, what RQ workers' runtimes carry too)."""

from __future__ import annotations

import pytest

from shopwright.runtime import build_media, build_runtime, build_services
from workers.media.fetch import HttpImageFetcher
from workers.media.local import LocalDiskStorage
from workers.media.s3 import S3Storage


async def test_requests_and_jobs_share_the_media_ports(settings):
    runtime = build_runtime(settings)
    try:
        services = build_services(settings, runtime)
        assert services.media is runtime.providers.media
        storage = runtime.providers.media.storage
        assert isinstance(storage, LocalDiskStorage)
        assert storage.root == (settings.data_dir / "media").resolve()
    finally:
        await runtime.close()


def test_the_settings_reach_the_ports(settings_factory, tmp_path):
    media = build_media(
        settings_factory(
            media_dir=tmp_path / "files",
            media_url_ttl_seconds=60,
            image_fetch_max_bytes=2048,
            callback_allow_private=True,
        )
    )
    assert isinstance(media.storage, LocalDiskStorage) and isinstance(media.fetcher, HttpImageFetcher)
    assert media.storage.root == (tmp_path / "files").resolve()
    assert media.urls.default_ttl_seconds == 60
    assert (media.fetcher.max_bytes, media.fetcher.allow_private) == (2048, True)
    # The fetcher follows the callback setting unless told otherwise.
    strict = settings_factory(callback_allow_private=True, image_fetch_allow_private=False)
    for closed in (strict, settings_factory(callback_allow_private=False)):
        fetcher = build_media(closed).fetcher
        assert isinstance(fetcher, HttpImageFetcher) and not fetcher.allow_private


def test_the_s3_backend_needs_a_bucket(settings_factory):
    with pytest.raises(ValueError, match="SHOPWRIGHT_MEDIA_S3_BUCKET"):
        build_media(settings_factory(media_backend="s3"))
    media = build_media(
        settings_factory(media_backend="s3", media_s3_bucket="shop", media_s3_endpoint_url="http://127.0.0.1:9000")
    )
    assert isinstance(media.storage, S3Storage)
    assert media.storage.object_key("ws/a.png") == "ws/a.png"
