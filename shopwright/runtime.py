"""Builds the providers (database, bus, queue, job kinds, AI) from settings and hands them down."""

from __future__ import annotations

import importlib

from prometheus_client import CollectorRegistry

from domain.accounts.tokens import TokenService
from domain.ai.ports import ProviderSet
from domain.content.jobs import CONTENT_KINDS
from domain.db import Database
from domain.jobs.ports import EventBus
from domain.jobs.registry import JobRegistry
from resolvers.context import AppServices
from resolvers.metrics import Metrics
from resolvers.ratelimit import CostBucket, MemoryCostBucket, MemoryRateLimiter, RedisCostBucket, RedisRateLimiter
from shopwright.settings import Settings
from workers.ai.factory import build_provider_set
from workers.ai.openai_provider import ProviderMetrics
from workers.bus import InMemoryBus, RedisBus
from workers.runner import InProcessQueue, RQQueue
from workers.runtime import CallbackPolicy, JobPolicy, Runtime


def build_registry(settings: Settings) -> JobRegistry:
    """Every feature's job kinds, then any plugin modules named in SHOPWRIGHT_JOB_PLUGINS."""
    registry = JobRegistry()
    for kind in CONTENT_KINDS:
        registry.register(kind)
    for module_name in settings.plugin_modules():
        module = importlib.import_module(module_name)
        module.register(registry)
    return registry


def build_bus(settings: Settings) -> EventBus:
    return RedisBus(settings.redis_url) if settings.redis_url else InMemoryBus()


def build_providers(settings: Settings, metrics: CollectorRegistry | None = None) -> ProviderSet:
    """The AI text provider chosen by SHOPWRIGHT_AI_PROVIDER (raises ProviderConfigError when unusable), counting
    its calls on ``metrics`` when given."""
    return build_provider_set(
        mode=settings.ai_provider,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        model=settings.llm_model,
        concurrency=settings.llm_concurrency,
        timeout_seconds=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
        backoff_seconds=settings.llm_backoff_seconds,
        metrics=ProviderMetrics(metrics) if metrics is not None else None,
        redis_url=settings.redis_url,
        global_concurrency=settings.resolved_llm_global_concurrency(),
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
    runtime.providers = build_providers(settings, metrics)
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
        redis_configured=bool(settings.redis_url),
        rate_limiter=RedisRateLimiter(settings.redis_url) if settings.redis_url else MemoryRateLimiter(),
        rate_limits=dict(settings.rate_limits),
        cost_bucket=build_cost_bucket(settings),
        providers=runtime.providers,
        public_url=settings.public_url,
        metrics=Metrics(metrics, queue_depth=depth),
        ws_access_check_seconds=settings.ws_access_check_seconds,
    )
