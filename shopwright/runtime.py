"""Builds the providers (database, bus, queue, job kinds, AI) from settings and hands them down."""

from __future__ import annotations

import dataclasses
import importlib

from prometheus_client import CollectorRegistry

from domain.accounts.plans import Plans
from domain.accounts.tokens import TokenService
from domain.ai.ports import ProviderSet
from domain.content.jobs import CONTENT_KINDS
from domain.db import Database
from domain.jobs.ports import EventBus
from domain.jobs.registry import JobRegistry
from domain.listing.jobs import LISTING_KINDS
from domain.mail.jobs import MAIL_KINDS
from domain.mail.ports import Mailer
from domain.marketing.job import MARKETING_POSTS
from domain.media.ports import MediaPorts, MediaStorage
from domain.media.urls import MediaUrls
from domain.merchants.jobs import MERCHANT_KINDS
from domain.merchants.ports import MerchantPorts
from domain.merchants.secrets import FernetCipher
from domain.store.ai_flags import STORE_AI_KINDS
from domain.store.ai_ops.jobs import STORE_AI_OPS_KINDS
from resolvers.context import AppServices
from resolvers.metrics import Metrics
from resolvers.ratelimit import CostBucket, MemoryCostBucket, MemoryRateLimiter, RedisCostBucket, RedisRateLimiter
from shopwright.settings import Settings
from workers.ai.factory import build_image_providers, build_provider_set
from workers.ai.openai_provider import ProviderMetrics
from workers.bus import InMemoryBus, RedisBus
from workers.mail.smtp import SmtpMailer
from workers.media.fetch import HttpImageFetcher
from workers.media.local import LocalDiskStorage
from workers.media.s3 import S3Storage
from workers.media.stock_factory import build_stock_images
from workers.merchants.opener import CatalogOpener, MerchantEndpoints
from workers.runner import InProcessQueue, RQQueue
from workers.runtime import CallbackPolicy, JobPolicy, Runtime


def build_registry(settings: Settings) -> JobRegistry:
    """Every feature's job kinds, then any plugin modules named in SHOPWRIGHT_JOB_PLUGINS."""
    registry = JobRegistry()
    kinds = (*CONTENT_KINDS, *LISTING_KINDS, *MAIL_KINDS, MARKETING_POSTS, *STORE_AI_KINDS, *STORE_AI_OPS_KINDS)
    for kind in (*kinds, *MERCHANT_KINDS):
        registry.register(kind)
    for module_name in settings.plugin_modules():
        module = importlib.import_module(module_name)
        module.register(registry)
    return registry


def build_bus(settings: Settings) -> EventBus:
    return RedisBus(settings.redis_url) if settings.redis_url else InMemoryBus()


def build_providers(settings: Settings, metrics: CollectorRegistry | None = None) -> ProviderSet:
    """The AI text provider chosen by SHOPWRIGHT_AI_PROVIDER (raises ProviderConfigError when unusable), counting
    its calls on ``metrics`` when given; the image models configured by the image settings as ``images``."""
    counted = ProviderMetrics(metrics) if metrics is not None else None
    text = build_provider_set(
        mode=settings.ai_provider,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        model=settings.llm_model,
        concurrency=settings.llm_concurrency,
        timeout_seconds=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
        backoff_seconds=settings.llm_backoff_seconds,
        metrics=counted,
        redis_url=settings.redis_url,
        global_concurrency=settings.resolved_llm_global_concurrency(),
    )
    images = build_image_providers(
        mode=settings.ai_provider,
        openai_api_key=settings.openai_api_key,
        openai_base_url=settings.openai_base_url,
        openai_model=settings.image_model,
        gemini_api_key=settings.gemini_api_key,
        gemini_base_url=settings.gemini_base_url,
        gemini_model=settings.gemini_image_model,
        concurrency=settings.image_concurrency,
        timeout_seconds=settings.image_timeout_seconds,
        max_retries=settings.llm_max_retries,
        backoff_seconds=settings.llm_backoff_seconds,
        metrics=counted,
        redis_url=settings.redis_url,
    )
    return dataclasses.replace(text, images=images)


def build_mailer(settings: Settings) -> Mailer | None:
    """The SMTP mailer when SHOPWRIGHT_SMTP_HOST and SHOPWRIGHT_SMTP_FROM are set (one without the other is a
    mistake, refused at startup); None: email is not configured."""
    if not settings.smtp_host and not settings.smtp_from:
        return None
    if not (settings.smtp_host and settings.smtp_from):
        raise ValueError("Email needs both SHOPWRIGHT_SMTP_HOST and SHOPWRIGHT_SMTP_FROM")
    return SmtpMailer(
        host=settings.smtp_host,
        sender=settings.smtp_from,
        port=settings.smtp_port,
        tls=settings.smtp_tls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        timeout_seconds=settings.smtp_timeout_seconds,
        retry_backoff_seconds=settings.smtp_retry_backoff_seconds,
        ca_file=settings.smtp_ca_file,
    )


def build_merchants(settings: Settings) -> MerchantPorts:
    """The merchant adapters (docs/merchants.md) and the cipher of the stored merchant credentials (keyed by the
    app secret; the previous secrets still decrypt)."""
    allow_private = settings.merchant_feed_allow_private
    endpoints = MerchantEndpoints(
        paapi_base_url=settings.merchant_paapi_base_url,
        ebay_base_url=settings.merchant_ebay_base_url,
        feed_dir=settings.merchant_feed_dir,
        feed_allow_private=settings.callback_allow_private if allow_private is None else allow_private,
        timeout_seconds=settings.merchant_timeout_seconds,
    )
    return MerchantPorts(opener=CatalogOpener(endpoints), cipher=FernetCipher(settings.secret_keys()))


def build_media(settings: Settings) -> MediaPorts:
    """The media storage chosen by SHOPWRIGHT_MEDIA_BACKEND, signed URLs over the app's secrets, and the
    guarded image fetcher."""
    storage: MediaStorage
    if settings.media_backend == "s3":
        if not settings.media_s3_bucket:
            raise ValueError("SHOPWRIGHT_MEDIA_BACKEND=s3 needs SHOPWRIGHT_MEDIA_S3_BUCKET")
        storage = S3Storage(
            settings.media_s3_bucket,
            endpoint_url=settings.media_s3_endpoint_url,
            region=settings.media_s3_region,
            access_key_id=settings.media_s3_access_key_id,
            secret_access_key=settings.media_s3_secret_access_key,
            prefix=settings.media_s3_prefix,
        )
    else:
        storage = LocalDiskStorage(settings.resolved_media_dir())
    return MediaPorts(
        storage=storage,
        urls=MediaUrls(settings.secret_keys(), settings.media_url_ttl_seconds),
        fetcher=HttpImageFetcher(
            allow_private=settings.resolved_image_fetch_allow_private(),
            max_bytes=settings.image_fetch_max_bytes,
            timeout_seconds=settings.image_fetch_timeout_seconds,
        ),
    )


def build_runtime(
    settings: Settings, *, registry: JobRegistry | None = None, metrics: CollectorRegistry | None = None
) -> Runtime:
    runtime = Runtime(
        db=Database(
            settings.resolved_database_url(), pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
        ),
        bus=build_bus(settings),
        registry=registry or build_registry(settings),
        jobs=JobPolicy(
            max_attempts=settings.job_max_attempts,
            heartbeat_seconds=settings.job_heartbeat_seconds,
            stale_seconds=settings.job_stale_seconds,
        ),
        callbacks=CallbackPolicy(
            allow_private=settings.callback_allow_private,
            max_attempts=settings.callback_max_attempts,
            backoff_seconds=settings.callback_backoff_seconds,
            timeout_seconds=settings.callback_timeout_seconds,
        ),
    )
    # Jobs reach the media ports and the mailer as ``ctx.providers.media``/``.mail``, in-process and in RQ
    # workers alike.
    runtime.providers = dataclasses.replace(
        build_providers(settings, metrics),
        media=build_media(settings),
        mail=build_mailer(settings),
        merchants=build_merchants(settings),
        stock=build_stock_images(
            pexels_base_url=settings.pexels_base_url,
            unsplash_base_url=settings.unsplash_base_url,
            pixabay_base_url=settings.pixabay_base_url,
            pexels_key=settings.pexels_api_key,
            unsplash_key=settings.unsplash_api_key,
            pixabay_key=settings.pixabay_api_key,
            timeout_seconds=settings.stock_timeout_seconds,
        ),
    )
    if settings.redis_url:
        runtime.queue = RQQueue(settings.redis_url, settings.rq_queue)
    else:
        runtime.queue = InProcessQueue(runtime, settings.job_concurrency)
    return runtime


def build_cost_bucket(settings: Settings) -> CostBucket:
    size, rate = settings.graphql_cost_bucket_size, settings.graphql_cost_restore_rate
    return RedisCostBucket(settings.redis_url, size, rate) if settings.redis_url else MemoryCostBucket(size, rate)


def build_services(settings: Settings, runtime: Runtime, metrics: CollectorRegistry | None = None) -> AppServices:
    queue = runtime.queue
    depth = queue.depth if isinstance(queue, InProcessQueue | RQQueue) else None
    return AppServices(
        db=runtime.db,
        bus=runtime.bus,
        dispatcher=runtime.dispatcher,
        tokens=TokenService(settings.secret_keys()),
        registry=runtime.registry,
        token_ttl_seconds=settings.access_token_ttl_seconds,
        max_body_bytes=settings.max_body_bytes,
        media=runtime.providers.media or build_media(settings),
        redis_configured=bool(settings.redis_url),
        rate_limiter=RedisRateLimiter(settings.redis_url) if settings.redis_url else MemoryRateLimiter(),
        rate_limits=dict(settings.rate_limits),
        cost_bucket=build_cost_bucket(settings),
        providers=runtime.providers,
        public_url=settings.public_url,
        metrics=Metrics(metrics, queue_depth=depth),
        ws_access_check_seconds=settings.ws_access_check_seconds,
        plans=Plans(settings.plans),
        chips_per_credit=settings.chips_per_credit,
    )
